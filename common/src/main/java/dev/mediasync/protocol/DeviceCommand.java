package dev.mediasync.protocol;

import dev.mediasync.device.CommandType;
import tools.jackson.core.JsonGenerator;

/**
 * A validated command delivered to its target device. {@code command_id} is derived from the sender
 * and its op id, so a resent command has the same id; {@code expires_at} is epoch milliseconds after
 * which the target should ignore it.
 */
public record DeviceCommand(String commandId, String fromDeviceId, CommandType command, String contentId,
                            Double positionSeconds, long expiresAt) implements ServerMessage {

    /** Past {@code expires_at}: no device may act on it any more (a lagging consumer, a replay); nobody delivers it. */
    public boolean expiredAt(long nowMs) {
        return expiresAt < nowMs;
    }


    public static final String TYPE = "device_command";

    public static String commandId(String fromDeviceId, String opId) {
        return fromDeviceId + '/' + opId;
    }

    static DeviceCommand read(JsonFields f) {
        return new DeviceCommand(f.string("command_id"), f.string("from_device_id"),
                f.enumValue("command", CommandType.class), f.optionalString("content_id"),
                f.optionalNumber("position_seconds"), f.integer("expires_at"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("command_id", commandId);
        g.writeStringProperty("from_device_id", fromDeviceId);
        g.writeStringProperty("command", WireEnum.wire(command));
        JsonWriting.optionalString(g, "content_id", contentId);
        if (positionSeconds != null) {
            JsonWriting.seconds(g, "position_seconds", positionSeconds);
        }
        g.writeNumberProperty("expires_at", expiresAt);
    }
}
