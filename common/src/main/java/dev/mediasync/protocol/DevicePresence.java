package dev.mediasync.protocol;

import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.SyncException;
import tools.jackson.core.JsonGenerator;

/**
 * Written to the op log by the gateway when a device connects, stays alive or closes cleanly, and by the
 * processor when a device has been silent too long ({@code timeout}, with the {@code last_activity} it
 * found: the timeout applies only if the device did nothing since). The session id tells connections of
 * one device apart, so that the late close of an old connection does not take a device offline that has
 * reconnected meanwhile.
 */
public record DevicePresence(PresenceEvent event, String sessionId, Long lastActivity) implements OpBody {

    public static final String TYPE = "device_presence";

    public DevicePresence {
        if (event == null) {
            throw SyncException.badRequest("event is required");
        }
        Ids.opId(sessionId, "session_id");
        if (event == PresenceEvent.TIMEOUT && lastActivity == null) {
            throw SyncException.badRequest("a timeout names the last_activity it found silent");
        }
    }

    public DevicePresence(PresenceEvent event, String sessionId) {
        this(event, sessionId, null);
    }

    static DevicePresence read(JsonFields f) {
        return new DevicePresence(f.enumValue("event", PresenceEvent.class), f.string("session_id"),
                f.has("last_activity") ? f.integer("last_activity") : null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("event", WireEnum.wire(event));
        g.writeStringProperty("session_id", sessionId);
        if (lastActivity != null) {
            g.writeNumberProperty("last_activity", lastActivity);
        }
    }
}
