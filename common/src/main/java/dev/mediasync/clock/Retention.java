package dev.mediasync.clock;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.time.Duration;

/**
 * The tombstone retention horizon: remove watermarks older than it are forgotten, so an op older than
 * it can no longer be merged correctly and is refused as {@code stale}. "Now" is passed in (the op's
 * {@code received_at} in the processor) so that a replay of the log decides exactly as the first run.
 */
public record Retention(Duration horizon) {

    public Retention {
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("tombstone retention must be positive: " + horizon);
        }
    }

    /** The oldest timestamp still accepted at wall-clock time {@code nowMs}. */
    public Hlc oldestAccepted(long nowMs) {
        return Hlc.of(Math.max(0, nowMs - horizon.toMillis()), 0);
    }

    /** @throws SyncException {@code stale} when {@code timestamp} is older than the horizon at {@code nowMs} */
    public void requireFresh(Hlc timestamp, long nowMs) {
        if (timestamp.isBefore(oldestAccepted(nowMs))) {
            throw new SyncException(ErrorCode.STALE, "timestamp " + timestamp + " is older than the "
                    + horizon.toDays() + "-day tombstone retention horizon");
        }
    }
}
