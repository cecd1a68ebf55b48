package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import tools.jackson.core.JsonGenerator;

/**
 * The winning progress of one title: the position, which device wrote it with which op, and the
 * derived {@code completed} flag and resume position.
 */
public record ProgressState(String contentId, PlaybackPosition position, String deviceId, String opId,
                            Hlc timestamp) implements ServerMessage {

    public static final String TYPE = "progress_state";

    public static ProgressState of(String contentId, LwwRegister<PlaybackPosition> register) {
        return new ProgressState(contentId, register.value(), register.deviceId(), register.opId(),
                register.timestamp());
    }

    public LwwRegister<PlaybackPosition> register() {
        return new LwwRegister<>(position, timestamp, deviceId, opId == null ? "" : opId);
    }

    static ProgressState read(JsonFields f) {
        return new ProgressState(f.string("content_id"), new PlaybackPosition(f.number("position_seconds"),
                f.number("duration_seconds"), f.enumValue("state", PlaybackState.class)),
                f.string("device_id"), f.optionalString("op_id"), f.hlc("timestamp"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("content_id", contentId);
        JsonWriting.seconds(g, "position_seconds", position.positionSeconds());
        JsonWriting.seconds(g, "duration_seconds", position.durationSeconds());
        g.writeStringProperty("state", WireEnum.wire(position.state()));
        g.writeStringProperty("device_id", deviceId);
        JsonWriting.optionalString(g, "op_id", opId);
        g.writeBooleanProperty("completed", position.completed());
        JsonWriting.seconds(g, "resume_position_seconds", position.resumePositionSeconds());
        g.writeStringProperty("timestamp", timestamp.toString());
    }
}
