package dev.mediasync.clock;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Issues and observes {@link Hlc} timestamps (Kulkarni et al., "Logical Physical Clocks", 2014).
 *
 * <p>The physical part follows the wall clock when it moves forward and holds when it steps back; the
 * logical counter orders events within one millisecond. When the counter would pass {@link
 * Hlc#MAX_LOGICAL}, the clock borrows the next millisecond (physical + 1, counter 0) rather than fail:
 * more than 65,535 events in one ms is the only way to get ahead of the wall clock, by at most what the
 * burst needs. Thread-safe and lock-free.
 */
public final class HybridClock {

    private final LongSupplier physicalClock;
    private final long maxSkewMs;
    private final AtomicLong last = new AtomicLong();

    /**
     * @param physicalClock wall-clock milliseconds since the epoch (inject a fake one in tests)
     * @param maxClockSkew how far ahead of this clock a received timestamp may be
     */
    public HybridClock(LongSupplier physicalClock, Duration maxClockSkew) {
        this.physicalClock = physicalClock;
        this.maxSkewMs = maxClockSkew.toMillis();
    }

    public static HybridClock system(Duration maxClockSkew) {
        return new HybridClock(System::currentTimeMillis, maxClockSkew);
    }

    /** Returns a timestamp greater than every timestamp this clock has issued or observed. */
    public Hlc now() {
        return advancePast(Hlc.MIN, physicalMs());
    }

    /**
     * Observes a received timestamp and returns a timestamp greater than it and than everything this
     * clock has issued or observed.
     *
     * @throws SyncException {@code clock_skew} when {@code remote} is more than the configured skew ahead
     *     of the wall clock; the clock is then left unchanged
     */
    public Hlc update(Hlc remote) {
        long wall = physicalMs();
        requireWithinSkew(remote, wall);
        return advancePast(remote, wall);
    }

    /**
     * The HLC send and receive rules in one step on the packed form: the next timestamp is the larger of
     * (wall, 0) and one tick past both the last timestamp and {@code observed}. A tick past counter 65,535
     * carries into the physical part, which is the overflow rule.
     */
    private Hlc advancePast(Hlc observed, long wall) {
        long wallStart = Hlc.of(wall, 0).packed();
        long prev;
        long next;
        do {
            prev = last.get();
            long highest = maxUnsigned(prev, observed.packed());
            if (highest == -1L) {
                throw new IllegalStateException("hybrid clock exhausted at " + Hlc.fromPacked(highest));
            }
            next = maxUnsigned(highest + 1, wallStart);
        } while (!last.compareAndSet(prev, next));
        return Hlc.fromPacked(next);
    }

    public long physicalMs() {
        return physicalClock.getAsLong();
    }

    /**
     * @throws SyncException {@code clock_skew} when {@code remote} is more than the configured skew ahead
     *     of the wall clock
     */
    public void requireWithinSkew(Hlc remote) {
        requireWithinSkew(remote, physicalMs());
    }

    private void requireWithinSkew(Hlc remote, long wall) {
        requireWithinSkew(remote, wall, maxSkewMs, "the server clock");
    }

    /**
     * The one clock-skew rule, for the gateway's clock and the processor's check of {@code received_at}.
     *
     * @param referenceMs the time {@code remote} is held against, named {@code reference} in the refusal
     * @throws SyncException {@code clock_skew} when {@code remote} is more than {@code maxSkewMs} ahead of it
     */
    public static void requireWithinSkew(Hlc remote, long referenceMs, long maxSkewMs, String reference) {
        long ahead = remote.physicalMs() - referenceMs;
        if (ahead > maxSkewMs) {
            throw new SyncException(ErrorCode.CLOCK_SKEW, "timestamp is " + ahead
                    + " ms ahead of " + reference + "; at most " + maxSkewMs + " ms is accepted");
        }
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
