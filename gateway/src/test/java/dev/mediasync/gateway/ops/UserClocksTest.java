package dev.mediasync.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.HybridClock;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UserClocksTest {

    private final AtomicLong wall = new AtomicLong(1_764_197_000_000L);
    private final UserClocks clocks = new UserClocks(new HybridClock(wall::get, Duration.ofSeconds(60)),
            Duration.ofSeconds(60), 1000);

    @Test
    void aClientTimestampAheadOfTheClockNeverMovesAnotherUsersStamps() {
        clocks.observe("mallory", Hlc.of(wall.get() + 59_000, 0));

        Hlc bobs = clocks.now("bob");

        assertThat(bobs.physicalMs()).isEqualTo(wall.get());
    }

    @Test
    void aUsersLaterOpIsStampedAfterItsOwnEarlierClientTimestamp() {
        Hlc ahead = Hlc.of(wall.get() + 30_000, 7);
        clocks.observe("alice", ahead);

        assertThat(clocks.now("alice")).isGreaterThan(ahead);
        assertThat(clocks.now("alice")).isGreaterThan(ahead);
    }

    @Test
    void stampsNeverGoBackwardsForAUserWhenTheWallClockDoes() {
        Hlc first = clocks.now("alice");
        wall.addAndGet(-5_000);

        assertThat(clocks.now("alice")).isGreaterThan(first);
    }

    @Test
    void aTimestampBeyondTheSkewBoundIsRefusedAndObservesNothing() {
        assertThatThrownBy(() -> clocks.observe("alice", Hlc.of(wall.get() + 61_000, 0)))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW));
        assertThat(clocks.now("alice").physicalMs()).isEqualTo(wall.get());
    }
}
