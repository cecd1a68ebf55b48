package dev.mediasync.error;

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

    public ErrorCode code() {
        return code;
    }
}
