package dev.mediasync.protocol;

import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.SyncException;
import tools.jackson.core.JsonGenerator;

/** Written to the op log by the gateway when a device connects, stays alive or closes cleanly. */
public record DevicePresence(PresenceEvent event) implements OpBody {

    public static final String TYPE = "device_presence";

    public DevicePresence {
        if (event == null) {
            throw SyncException.badRequest("event is required");
        }
    }

    static DevicePresence read(JsonFields f) {
        return new DevicePresence(f.enumValue("event", PresenceEvent.class));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("event", WireEnum.wire(event));
    }
}
