package dev.mediasync.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StallReportTest {

    private static final String LINE = "[2026-12-04T19:50:05.663+0000][922ms] Safepoint \"G1CollectForAllocation\", "
            + "Time since last: 18008692 ns, Reaching safepoint: 2965 ns, Cleanup: 10746 ns, At safepoint: 8805032 ns, "
            + "Total: 8818743 ns";
    private static final long END = Instant.parse("2026-12-04T19:50:05.663Z").toEpochMilli();

    @Test
    void readsASafepointLineOfTheJvmsLog() {
        StallReport.Stop stop = StallReport.parse("gateway", LINE);

        assertThat(stop).isEqualTo(new StallReport.Stop("gateway", "G1CollectForAllocation", END, 8.818743));
        assertThat(StallReport.parse("gateway", "[2026-12-04T19:50:05.663+0000][922ms] GC(0) Pause Young 8.7ms"))
                .isNull();
    }

    @Test
    void aSlowUpdateIsCountedAgainstEachJvmThatStoppedLongEnoughWhileItWasOnItsWay() {
        List<StallReport.Stop> stops = List.of(
                new StallReport.Stop("gateway", "G1CollectForAllocation", END, 9),
                new StallReport.Stop("state-processor", "Cleanup", END, 0.2), // too short to matter
                new StallReport.Stop("state-processor", "G1CollectForAllocation", END + 5_000, 40));
        List<PropagationRun.SlowUpdate> slow = List.of(
                new PropagationRun.SlowUpdate(END - 20, 30), // on its way while the gateway stopped
                new PropagationRun.SlowUpdate(END - 100, 50), // done before the stop began
                new PropagationRun.SlowUpdate(END + 4_990, 20)); // the processor's 40 ms stop

        StallReport.Result result = StallReport.of(slow, stops, END - 1_000, END + 10_000);

        assertThat(result.slow()).isEqualTo(3);
        assertThat(result.explainedBy()).isEqualTo(Map.of("gateway", 1, "state-processor", 1));
        assertThat(result.unexplained()).isEqualTo(1);
        assertThat(result.stops().get("state-processor")).startsWith("2 stops, 40 ms in all, 1 of 5 ms or more")
                .contains("longest 40.0 ms (G1CollectForAllocation)");
    }
}
