package dev.mediasync.client;

import tools.jackson.databind.JsonNode;

/**
 * What a client tells its app; every method has a default that does nothing. Calls come one at a time,
 * from the client's own threads: hand long work elsewhere.
 */
public interface SyncListener {

    /** The connection's state: CONNECTING, OPEN, CLOSED (with the close code and reason when known). */
    default void onStatus(SyncClient.Status status, int code, String reason) {
    }

    /** The state was replaced by a fresh snapshot (after every connect). */
    default void onSnapshot(long version) {
    }

    /** One entity changed: {@code value} is its state, or {@code null} when it was removed. */
    default void onChange(SyncClient.Kind kind, String id, JsonNode value, long version) {
    }

    /** A {@code device_command} for this device (expired and repeated ones are dropped). */
    default void onCommand(JsonNode command) {
    }

    /** An op got its ack, including ops made before a restart (their futures are gone with the process). */
    default void onAck(String opId, String timestamp) {
    }

    /** A frame was handed to the connection (for logs, consoles and tests); an op resent is sent again. */
    default void onFrameSent(JsonNode frame) {
    }

    /** A refusal no waiting op owns: one that came after its ack, or about the connection or token. */
    default void onError(SyncError error) {
    }
}
