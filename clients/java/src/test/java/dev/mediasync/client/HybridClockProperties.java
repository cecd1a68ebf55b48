package dev.mediasync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HybridClockProperties {

    /** One step: the wall clock moves by {@code wallStep} ms (possibly back), then the clock stamps or observes. */
    record Step(long wallStep, boolean observe, long remotePhysical, int remoteLogical) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.longs().between(-5_000, 5_000).flatMap(wall -> Arbitraries.of(true, false).flatMap(observe ->
                Arbitraries.longs().between(0, 2_000_000).flatMap(physical -> Arbitraries.integers().between(0, 65_535)
                        .map(logical -> new Step(wall, observe, 1_800_000_000_000L + physical, logical)))))
                .list().ofMaxSize(200);
    }

    @Property
    void everyStampIsAfterEverythingMadeOrObservedWhateverTheWallClockDoes(@ForAll("steps") List<Step> steps) {
        AtomicLong wall = new AtomicLong(1_800_000_000_000L);
        HybridClock clock = new HybridClock(wall::get);
        long[] latest = {0, 0};
        for (Step step : steps) {
            wall.addAndGet(step.wallStep());
            if (step.observe()) {
                clock.observe(step.remotePhysical() + ":" + step.remoteLogical());
                latest = max(latest, new long[] {step.remotePhysical(), step.remoteLogical()});
            } else {
                long[] stamp = HybridClock.parse(clock.now());
                assertThat(compare(stamp, latest)).as("a stamp after everything before it").isPositive();
                latest = stamp;
            }
        }
    }

    @Property
    void anythingButTheWireFormIsIgnored(@ForAll String junk) {
        HybridClock clock = new HybridClock(() -> 5);
        clock.observe(junk.matches("\\d{1,15}:\\d{1,5}") ? "0:0" : junk);
        assertThat(clock.now()).isEqualTo("5:0");
    }

    private static long[] max(long[] a, long[] b) {
        return compare(a, b) >= 0 ? a : b;
    }

    private static int compare(long[] a, long[] b) {
        return a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]);
    }
}
