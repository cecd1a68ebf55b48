package dev.mediasync.gateway.ws;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.springframework.stereotype.Component;

/**
 * Ends connections whose token expired: an {@code unauthorized} error, then close code 4401. A
 * {@code token_refresh} moves the session's expiry; the timer then waits for the new one. A closed
 * connection's timer is cancelled.
 */
@Component
public class TokenExpiry {

    private final EdgeTimer timer;
    private final MessageCodec codec;
    private final Clock clock = Clock.systemUTC();

    public TokenExpiry(EdgeTimer timer, MessageCodec codec) {
        this.timer = timer;
        this.codec = codec;
    }

    /** Watches the session's expiry; cancel the returned future when the connection closes. */
    ScheduledFuture<?> watch(DeviceSession session) {
        return timer.schedule(() -> check(session), delayMs(session.expiresAt()));
    }

    private void check(DeviceSession session) {
        if (session.isClosed()) {
            return;
        }
        if (clock.instant().isBefore(session.expiresAt())) {
            session.watchExpiry(watch(session)); // refreshed meanwhile
            return;
        }
        session.replyAndClose(codec.encode(new ErrorMessage(null, ErrorCode.UNAUTHORIZED,
                "the token expired; send token_refresh before it does, or reconnect with a new token")),
                DeviceSession.TOKEN_EXPIRED);
    }

    private long delayMs(Instant at) {
        return Math.max(0, Duration.between(clock.instant(), at).toMillis());
    }
}
