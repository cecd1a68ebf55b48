package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;

/**
 * The user was erased at {@code timestamp}: sent to their devices (which the gateway then closes) and kept
 * in {@code sync.state.v1} under {@code user_id|account|erased}, after a tombstone for every other key of
 * the user, so that downstream services drop what they hold of the user.
 */
public record UserErased(Hlc timestamp) implements ServerMessage {

    public static final String TYPE = "user_erased";

    public UserErased {
        Objects.requireNonNull(timestamp, "timestamp");
    }

    private static final byte[] ENCODED_PREFIX = ("{\"type\":\"" + TYPE + "\"").getBytes(StandardCharsets.UTF_8);

    /**
     * Whether an encoded event is this one, without decoding it: {@link MessageCodec} always writes
     * {@code type} first. The gateways' fan-out routes by headers and never decodes, and must know it to close.
     */
    public static boolean isEncoded(byte[] json) {
        return json != null && json.length >= ENCODED_PREFIX.length
                && Arrays.equals(json, 0, ENCODED_PREFIX.length, ENCODED_PREFIX, 0, ENCODED_PREFIX.length);
    }

    static UserErased read(JsonFields f) {
        return new UserErased(f.hlc("timestamp"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("timestamp", timestamp.toString());
    }
}
