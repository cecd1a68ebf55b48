package dev.mediasync.client;

import java.util.Set;

/**
 * A refusal, with the contract's error {@code code} (docs/protocol.md, Errors), or one of the client's own:
 * {@code outbox_full} (too many ops wait for their ack) and {@code closed} (the client was closed for good).
 */
public final class SyncError extends RuntimeException {

    /** Codes after which the same op may succeed later: the client keeps it and sends it again. */
    static final Set<String> RETRYABLE = Set.of("unavailable", "rate_limited");

    private final String code;
    private final String opId;

    public SyncError(String code, String message, String opId) {
        super(message);
        this.code = code;
        this.opId = opId;
    }

    public String code() {
        return code;
    }

    /** The op it refers to, or {@code null}. */
    public String opId() {
        return opId;
    }

    public boolean retryable() {
        return RETRYABLE.contains(code);
    }

    @Override
    public String toString() {
        return "SyncError[" + code + (opId == null ? "" : ", op " + opId) + "]: " + getMessage();
    }
}
