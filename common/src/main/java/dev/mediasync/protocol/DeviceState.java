package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.Platform;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * One device of the user as its siblings see it. {@code last_seen} is epoch milliseconds; {@code
 * timestamp} orders the versions of one device's state. A device that connected without registering
 * shows its id as its name and platform {@code other}. {@code registered_at} is the timestamp of the
 * registration its name, platform and capabilities come from ({@code null}: none yet): the latest
 * registration wins, whatever order registrations arrive in.
 */
public record DeviceState(String deviceId, String name, Platform platform, List<String> capabilities,
                          boolean online, long lastSeen, Hlc timestamp, Hlc registeredAt) implements ServerMessage {

    public static final String TYPE = "device_state";

    public DeviceState {
        capabilities = List.copyOf(capabilities);
    }

    /** A device not registered yet. */
    public DeviceState(String deviceId, String name, Platform platform, List<String> capabilities, boolean online,
                       long lastSeen, Hlc timestamp) {
        this(deviceId, name, platform, capabilities, online, lastSeen, timestamp, null);
    }

    /**
     * Whether a registration stamped {@code at} with these fields takes over from this state's: a later
     * one does; of two with the same timestamp, the greater fields (so any arrival order agrees).
     */
    public boolean yieldsTo(Hlc at, String otherName, Platform otherPlatform, List<String> otherCapabilities) {
        if (registeredAt == null || at.isAfter(registeredAt)) {
            return true;
        }
        return at.equals(registeredAt)
                && (otherName + '\u0000' + otherPlatform + '\u0000' + otherCapabilities)
                        .compareTo(name + '\u0000' + platform + '\u0000' + capabilities) > 0;
    }

    /** A device known only from its connection. */
    public static DeviceState unregistered(String deviceId, long lastSeen, Hlc timestamp) {
        return new DeviceState(deviceId, deviceId, Platform.OTHER, List.of(), true, lastSeen, timestamp);
    }

    public DeviceState withPresence(boolean online, long lastSeen, Hlc timestamp) {
        return new DeviceState(deviceId, name, platform, capabilities, online, lastSeen, timestamp, registeredAt);
    }

    static DeviceState read(JsonFields f) {
        List<String> capabilities = f.optionalStrings("capabilities", Integer.MAX_VALUE);
        return new DeviceState(f.string("device_id"), f.string("name"), f.enumValue("platform", Platform.class),
                capabilities == null ? List.of() : capabilities, f.bool("online"), f.integer("last_seen"),
                f.hlc("timestamp"), f.optionalHlc("registered_at"));
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
        g.writeStringProperty("timestamp", timestamp.toString());
        if (registeredAt != null) {
            g.writeStringProperty("registered_at", registeredAt.toString());
        }
    }
}
