package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/**
 * Takes a title out of "continue watching": a write of "no progress" into the title's last-writer-wins
 * register. It wins over every progress write with a lower (timestamp, device id, op id), whenever that
 * write arrives; a later write brings the title back.
 */
public record ProgressRemove(String opId, String contentId) implements ClientMessage {

    public static final String TYPE = "progress_remove";

    public ProgressRemove {
        Ids.opId(opId, "op_id");
        Ids.contentId(contentId, "content_id");
    }

    static ProgressRemove read(JsonFields f) {
        return new ProgressRemove(f.string("op_id"), f.string("content_id"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("content_id", contentId);
    }
}
