package dev.mediasync.protocol;

import dev.mediasync.device.CommandType;
import dev.mediasync.error.SyncException;
import dev.mediasync.progress.PlaybackPosition;
import tools.jackson.core.JsonGenerator;

/**
 * A device asks another device of the same user to play, pause, seek, stop or cast. {@code seek}
 * needs a position; {@code play} and {@code cast} may name a title and a position.
 */
public record DeviceCommandRequest(String opId, String targetDeviceId, CommandType command, String contentId,
                                   Double positionSeconds) implements ClientMessage {

    public static final String TYPE = "device_command";

    public DeviceCommandRequest {
        Ids.opId(opId, "op_id");
        Ids.deviceId(targetDeviceId, "target_device_id");
        if (command == null) {
            throw SyncException.badRequest("command is required");
        }
        if (contentId != null) {
            Ids.contentId(contentId, "content_id");
        }
        if (positionSeconds != null && (!Double.isFinite(positionSeconds) || positionSeconds < 0
                || positionSeconds > PlaybackPosition.MAX_DURATION_SECONDS)) {
            throw SyncException.badRequest("position_seconds must be a number of seconds from 0 to 86400");
        }
        if (command == CommandType.SEEK && positionSeconds == null) {
            throw SyncException.badRequest("position_seconds is required for seek");
        }
    }

    static DeviceCommandRequest read(JsonFields f) {
        return new DeviceCommandRequest(f.string("op_id"), f.string("target_device_id"),
                f.enumValue("command", CommandType.class), f.optionalString("content_id"),
                f.optionalNumber("position_seconds"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("target_device_id", targetDeviceId);
        g.writeStringProperty("command", WireEnum.wire(command));
        JsonWriting.optionalString(g, "content_id", contentId);
        if (positionSeconds != null) {
            JsonWriting.seconds(g, "position_seconds", positionSeconds);
        }
    }
}
