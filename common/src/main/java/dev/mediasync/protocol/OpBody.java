package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/** What an op in the log carries: a client message, a presence change the gateway observed, or an erase. */
public sealed interface OpBody permits ClientMessage, DevicePresence, UserErase {

    /** The wire {@code type}. */
    String type();

    /** The client's op id, or {@code null} for messages that have none. */
    default String opId() {
        return null;
    }

    /** Writes this message's own fields (not {@code type}) into the open JSON object. */
    void writeFields(JsonGenerator g);
}
