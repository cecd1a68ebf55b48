package dev.mediasync.error;

import java.util.Locale;

/** The error codes of the protocol, with the HTTP status a REST caller gets for each. */
public enum ErrorCode {
    BAD_REQUEST(400),
    TOO_LARGE(413),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    RATE_LIMITED(429),
    CLOCK_SKEW(422),
    STALE(422),
    UNKNOWN_DEVICE(404),
    DEVICE_OFFLINE(409),
    UNAVAILABLE(503),
    /** A per-user limit (titles, progress entries, devices, tags of a title) would be exceeded. */
    LIMIT_EXCEEDED(409),
    /** The target device's registered capabilities do not cover the command. */
    UNSUPPORTED_COMMAND(422),
    /** No such resource (REST), e.g. an unknown path or a title without progress. */
    NOT_FOUND(404),
    /** The path exists, the method does not (REST). */
    METHOD_NOT_ALLOWED(405),
    /** A body that is not {@code application/json} (REST). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The user was erased: nothing of theirs is kept, and nothing more is taken. */
    USER_ERASED(410),
    /**
     * A sealed op that cannot be opened (its data key unknown or destroyed, or its bytes changed): it is
     * dead-lettered and changes nothing. Only the processor reports it; devices never get it.
     */
    UNREADABLE(422),
    /** An unexpected failure on the server's side; the op changed nothing. */
    INTERNAL(500);

    private final int httpStatus;
    private final String wire;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
        this.wire = name().toLowerCase(Locale.ROOT);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The code as it appears in {@code error} frames and problem details, e.g. {@code clock_skew}. */
    public String wire() {
        return wire;
    }

    /** The code of an HTTP error status the framework answered with (unknown path, wrong method…). */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }

    public static ErrorCode fromWire(String wire) {
        for (ErrorCode code : values()) {
            if (code.wire.equals(wire)) {
                return code;
            }
        }
        throw SyncException.badRequest("code must be one of the protocol's error codes, got '" + wire + "'");
    }
}
