package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/** The answer to a {@code token_refresh}: the connection now lasts until {@code expires_at} (epoch ms). */
public record TokenRefreshed(long expiresAt) implements ServerMessage {

    public static final String TYPE = "token_refreshed";

    static TokenRefreshed read(JsonFields f) {
        return new TokenRefreshed(f.integer("expires_at"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeNumberProperty("expires_at", expiresAt);
    }
}
