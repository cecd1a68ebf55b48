package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;

/**
 * A decoded client frame: the message and the timestamp the client stamped it with, or {@code null}
 * when the gateway is to stamp it.
 */
public record ClientRequest(ClientMessage message, Hlc clientTimestamp) {
}
