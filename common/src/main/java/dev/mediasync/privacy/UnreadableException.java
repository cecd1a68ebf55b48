package dev.mediasync.privacy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.util.Locale;

/**
 * A sealed op (or wrapped key) that cannot be opened, and why. The processor dead-letters it as
 * {@code unreadable} and applies nothing of it; in a replay, ops of an erased user are counted instead.
 */
public final class UnreadableException extends RuntimeException {

    public enum Reason {
        /** The record is not a sealed op of a version this code reads. */
        MALFORMED,
        /** No data key with the op's key id is known for its user: never written, or destroyed by an erase. */
        UNKNOWN_KEY,
        /** Authentication failed: the ciphertext, the key id or the user (record key) was changed, or the key is another. */
        TAMPERED
    }

    private final Reason reason;

    public UnreadableException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** As the processor reports it: {@code unreadable}, with the reason first in the message. */
    public SyncException toSyncException() {
        return new SyncException(ErrorCode.UNREADABLE, reason.name().toLowerCase(Locale.ROOT) + ": " + getMessage());
    }
}
