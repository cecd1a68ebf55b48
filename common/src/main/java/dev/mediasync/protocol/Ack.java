package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import tools.jackson.core.JsonGenerator;

/** The op is durable in the log, stamped with {@code timestamp}. */
public record Ack(String opId, Hlc timestamp) implements ServerMessage {

    public static final String TYPE = "ack";

    static Ack read(JsonFields f) {
        return new Ack(f.optionalString("op_id"), f.hlc("timestamp"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        JsonWriting.optionalString(g, "op_id", opId);
        g.writeStringProperty("timestamp", timestamp.toString());
    }
}
