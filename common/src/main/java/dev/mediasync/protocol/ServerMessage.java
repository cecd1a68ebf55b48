package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/** A message the server sends a device, and the value of the state and command topics. */
public sealed interface ServerMessage
        permits Ack, ErrorMessage, Snapshot, WatchlistState, ProgressState, DeviceState, DeviceCommand,
        EntityRemoved, TokenRefreshed, UserErased {

    /** The wire {@code type}. */
    String type();

    /** Writes this message's own fields (not {@code type}) into the open JSON object. */
    void writeFields(JsonGenerator g);
}
