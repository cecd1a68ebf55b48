package dev.mediasync.protocol;

import dev.mediasync.device.Platform;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * One device of the user as its siblings see it. {@code last_seen} is epoch milliseconds. A device
 * that connected without registering shows its id as its name and platform {@code other}.
 */
public record DeviceState(String deviceId, String name, Platform platform, List<String> capabilities,
                          boolean online, long lastSeen) implements ServerMessage {

    public static final String TYPE = "device_state";

    public DeviceState {
        capabilities = List.copyOf(capabilities);
    }

    static DeviceState read(JsonFields f) {
        List<String> capabilities = f.optionalStrings("capabilities", Integer.MAX_VALUE);
        return new DeviceState(f.string("device_id"), f.string("name"), f.enumValue("platform", Platform.class),
                capabilities == null ? List.of() : capabilities, f.bool("online"), f.integer("last_seen"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("device_id", deviceId);
        g.writeStringProperty("name", name);
        g.writeStringProperty("platform", WireEnum.wire(platform));
        JsonWriting.strings(g, "capabilities", capabilities);
        g.writeBooleanProperty("online", online);
        g.writeNumberProperty("last_seen", lastSeen);
    }
}
