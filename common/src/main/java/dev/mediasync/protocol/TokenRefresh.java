package dev.mediasync.protocol;

import dev.mediasync.error.SyncException;
import tools.jackson.core.JsonGenerator;

/**
 * A new token for an open WebSocket, so a device stays connected past its old token's expiry. Handled
 * by the gateway and never written to the log. The token must be for the same user and device.
 */
public record TokenRefresh(String token) implements ClientMessage {

    public static final String TYPE = "token_refresh";
    static final int MAX_TOKEN_CHARS = 8192;

    public TokenRefresh {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_CHARS) {
            throw SyncException.badRequest("token must be 1–" + MAX_TOKEN_CHARS + " chars");
        }
    }

    static TokenRefresh read(JsonFields f) {
        return new TokenRefresh(f.string("token"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("token", token);
    }

    @Override
    public String toString() {
        return "TokenRefresh[token=…]"; // never log a credential
    }
}
