package dev.mediasync.relay;

/**
 * A publish that did not succeed. {@link Permanent}: PubNub refused the message itself (it will never
 * be accepted), so it goes to the dead-letter topic. {@link Transient}: PubNub is unreachable, slow,
 * overloaded or the breaker is open; the record is retried and nothing is committed meanwhile.
 */
public abstract sealed class PublishFailure extends RuntimeException {

    PublishFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public static final class Permanent extends PublishFailure {
        public Permanent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Transient extends PublishFailure {
        public Transient(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
