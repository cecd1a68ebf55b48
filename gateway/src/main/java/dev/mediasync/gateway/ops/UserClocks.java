package dev.mediasync.gateway.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.HybridClock;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stamps each user's ops. A client's own timestamp (an offline edit, a clock ahead by up to the skew
 * bound) orders that user's later ops, which are stamped after it (the HLC receive rule, per user), but
 * never moves the gateway's shared clock: another user's ops keep the time they happen at.
 *
 * <p>A user's entry only matters while what it observed is ahead of the shared clock, which is at most
 * the skew bound; entries untouched that long are dropped, so the map holds recently active users only.
 */
public final class UserClocks {

    private final HybridClock shared;
    private final Cache<String, AtomicLong> observed;

    public UserClocks(HybridClock shared, Duration maxClockSkew, long maxUsers) {
        this.shared = shared;
        this.observed = Caffeine.newBuilder().expireAfterAccess(maxClockSkew).maximumSize(maxUsers).build();
    }

    /** A timestamp for the user's next op: after everything issued, and after what this user sent. */
    public Hlc now(String userId) {
        Hlc base = shared.now();
        AtomicLong user = observed.getIfPresent(userId);
        if (user == null) {
            return base;
        }
        return Hlc.fromPacked(user.updateAndGet(last -> Math.max(last + 1, base.packed())));
    }

    /**
     * Observes a timestamp the user's client stamped an op with.
     *
     * @throws SyncException {@code clock_skew} when it is further ahead than the skew bound
     */
    public void observe(String userId, Hlc clientTimestamp) {
        shared.requireWithinSkew(clientTimestamp);
        observed.get(userId, u -> new AtomicLong()).accumulateAndGet(clientTimestamp.packed(), Math::max);
    }

    public long physicalMs() {
        return shared.physicalMs();
    }
}
