package dev.mediasync.protocol;

import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import tools.jackson.core.JsonGenerator;

/** Reports where playback of one title is. */
public record ProgressUpdate(String opId, String contentId, PlaybackPosition position) implements ClientMessage {

    public static final String TYPE = "progress_update";

    public ProgressUpdate {
        Ids.opId(opId, "op_id");
        Ids.contentId(contentId, "content_id");
    }

    static ProgressUpdate read(JsonFields f) {
        String opId = f.string("op_id");
        String contentId = f.string("content_id");
        return new ProgressUpdate(opId, contentId, new PlaybackPosition(f.number("position_seconds"),
                f.number("duration_seconds"), f.enumValue("state", PlaybackState.class)));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("content_id", contentId);
        JsonWriting.seconds(g, "position_seconds", position.positionSeconds());
        JsonWriting.seconds(g, "duration_seconds", position.durationSeconds());
        g.writeStringProperty("state", WireEnum.wire(position.state()));
    }
}
