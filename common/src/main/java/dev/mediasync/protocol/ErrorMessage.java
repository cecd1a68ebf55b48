package dev.mediasync.protocol;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import tools.jackson.core.JsonGenerator;

/** A refusal; {@code op_id} names the op refused when the frame had one. */
public record ErrorMessage(String opId, ErrorCode code, String message) implements ServerMessage {

    public static final String TYPE = "error";

    public static ErrorMessage of(String opId, SyncException e) {
        return new ErrorMessage(opId, e.code(), e.getMessage());
    }

    /** The refusal as the exception {@link #of} makes it from (for a message passed on between services). */
    public SyncException toException() {
        return new SyncException(code, message);
    }

    static ErrorMessage read(JsonFields f) {
        return new ErrorMessage(f.optionalString("op_id"), ErrorCode.fromWire(f.string("code")),
                f.string("message"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        JsonWriting.optionalString(g, "op_id", opId);
        g.writeStringProperty("code", code.wire());
        g.writeStringProperty("message", message);
    }
}
