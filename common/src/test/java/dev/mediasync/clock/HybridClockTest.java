package dev.mediasync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {

    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final HybridClock clock = new HybridClock(wall::get, Duration.ofSeconds(60));

    @Test
    void followsTheWallClockWhenItMovesForward() {
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_000, 0));
        wall.set(1_000_005);
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_005, 0));
    }

    @Test
    void countsWithinOneMillisecond() {
        clock.now();
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_000, 1));
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_000, 2));
    }

    @Test
    void holdsWhenTheWallClockStepsBack() {
        clock.now();
        wall.set(999_000);
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_000, 1));
    }

    @Test
    void borrowsTheNextMillisecondWhenTheCounterWouldOverflow() {
        Hlc last = null;
        for (int i = 0; i <= Hlc.MAX_LOGICAL; i++) {
            last = clock.now();
        }
        assertThat(last).isEqualTo(Hlc.of(1_000_000, Hlc.MAX_LOGICAL));
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_001, 0));
    }

    @Test
    void aReceivedTimestampAheadOfTheWallClockPushesTheClockPastIt() {
        Hlc remote = Hlc.of(1_030_000, 4);

        assertThat(clock.update(remote)).isEqualTo(Hlc.of(1_030_000, 5));
        assertThat(clock.now()).isEqualTo(Hlc.of(1_030_000, 6));
    }

    @Test
    void aReceivedTimestampBehindTheWallClockIsOvertaken() {
        assertThat(clock.update(Hlc.of(500, 9))).isEqualTo(Hlc.of(1_000_000, 0));
    }

    @Test
    void refusesATimestampBeyondTheSkewBoundAndStaysUnchanged() {
        clock.now();

        assertThatThrownBy(() -> clock.update(Hlc.of(1_060_001, 0)))
                .isInstanceOfSatisfying(SyncException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW);
                    assertThat(e.getMessage()).contains("60001 ms ahead");
                });
        assertThat(clock.now()).isEqualTo(Hlc.of(1_000_000, 1));
    }

    @Test
    void acceptsATimestampExactlyAtTheSkewBound() {
        assertThat(clock.update(Hlc.of(1_060_000, 0))).isEqualTo(Hlc.of(1_060_000, 1));
    }
}
