package dev.mediasync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class HybridClockProperties {

    private static final long SKEW_MS = 60_000;

    /** One step of a run: the wall clock jumps by {@code wallJump}, then the clock issues or receives. */
    record Step(long wallJump, boolean receive, long remoteOffset, int remoteLogical) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.longs().between(-120_000, 120_000).edgeCases(c -> c.add(0L)),
                Arbitraries.of(true, false),
                Arbitraries.longs().between(-200_000, SKEW_MS),
                Arbitraries.integers().between(0, Hlc.MAX_LOGICAL)).as(Step::new);
        return step.list().ofMaxSize(200);
    }

    @Property
    void timestampsStrictlyIncreaseWhateverTheWallClockDoes(@ForAll("runs") List<Step> run) {
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        HybridClock clock = new HybridClock(wall::get, Duration.ofMillis(SKEW_MS));
        Hlc previous = Hlc.MIN;
        for (Step step : run) {
            wall.addAndGet(step.wallJump());
            Hlc next = step.receive()
                    ? clock.update(Hlc.of(wall.get() + step.remoteOffset(), step.remoteLogical()))
                    : clock.now();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Property
    void aTimestampIssuedAfterObservingTIsGreaterThanT(@ForAll("runs") List<Step> run,
                                                      @ForAll @LongRange(min = -200_000, max = SKEW_MS) long offset,
                                                      @ForAll @IntRange(max = Hlc.MAX_LOGICAL) int logical) {
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        HybridClock clock = new HybridClock(wall::get, Duration.ofMillis(SKEW_MS));
        for (Step step : run) {
            wall.addAndGet(step.wallJump());
            clock.now();
        }
        Hlc received = Hlc.of(wall.get() + offset, logical);

        assertThat(clock.update(received)).isGreaterThan(received);
        assertThat(clock.now()).isGreaterThan(received);
    }

    @Property
    void refusesExactlyTheTimestampsBeyondTheSkewBound(@ForAll @LongRange(min = 0, max = 600_000) long ahead,
                                                      @ForAll @LongRange(min = 0, max = 120_000) long skew) {
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        HybridClock clock = new HybridClock(wall::get, Duration.ofMillis(skew));
        Hlc before = clock.now();
        Hlc remote = Hlc.of(wall.get() + ahead, 0);

        if (ahead > skew) {
            assertThatThrownBy(() -> clock.update(remote)).isInstanceOfSatisfying(SyncException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW));
            assertThat(clock.now()).isEqualTo(Hlc.of(before.physicalMs(), before.logical() + 1));
        } else {
            assertThat(clock.update(remote)).isGreaterThan(remote);
        }
    }

    @Property
    void wireFormRoundTrips(@ForAll @LongRange(max = Hlc.MAX_PHYSICAL) long physical,
                            @ForAll @IntRange(max = Hlc.MAX_LOGICAL) int logical) {
        Hlc hlc = Hlc.of(physical, logical);

        assertThat(Hlc.parse(hlc.toString())).isEqualTo(hlc);
        assertThat(hlc.toString()).isEqualTo(physical + ":" + logical);
    }

    @Property
    void orderIsPhysicalThenLogical(@ForAll @LongRange(max = Hlc.MAX_PHYSICAL) long p1,
                                    @ForAll @IntRange(max = Hlc.MAX_LOGICAL) int l1,
                                    @ForAll @LongRange(max = Hlc.MAX_PHYSICAL) long p2,
                                    @ForAll @IntRange(max = Hlc.MAX_LOGICAL) int l2) {
        int expected = p1 != p2 ? Long.compare(p1, p2) : Integer.compare(l1, l2);

        assertThat(Integer.signum(Hlc.of(p1, l1).compareTo(Hlc.of(p2, l2)))).isEqualTo(expected);
    }
}
