package dev.mediasync.error;

import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A refusal with a protocol error code and a message that names the offending field. Thrown by
 * validation anywhere in the domain; the gateway turns it into an {@code error} frame or a problem
 * response, the processor into a dead letter.
 */
public final class SyncException extends RuntimeException {

    private final ErrorCode code;

    public SyncException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public static SyncException badRequest(String message) {
        return new SyncException(ErrorCode.BAD_REQUEST, message);
    }

    /**
     * The refusal a failed future carries (through a {@link CompletionException} or not): its own
     * {@code SyncException}, or any other failure as {@code unavailable} with the message made from it.
     */
    public static SyncException of(Throwable failure, Function<Throwable, String> unavailableMessage) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof SyncException sync ? sync
                : new SyncException(ErrorCode.UNAVAILABLE, unavailableMessage.apply(cause));
    }

    public ErrorCode code() {
        return code;
    }
}
