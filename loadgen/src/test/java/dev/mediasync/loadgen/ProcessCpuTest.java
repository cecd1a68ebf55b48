package dev.mediasync.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void perOpIsEachProcesssCpuOverTheOpsAndThePlatformCountsGatewayProcessorAndBroker() {
        Map<String, Long> perOp = ProcessCpu.perOp(
                Map.of("gateway", 10.0, "processor", 4.0, "broker", 1.0, "trending", 2.0, "loadgen", 7.0),
                Map.of("gateway", 10.5, "processor", 4.25, "broker", 1.1, "trending", 2.05, "loadgen", 7.5), 5_000);

        assertThat(perOp).containsEntry("gateway", 100L).containsEntry("processor", 50L)
                .containsEntry("broker", 20L).containsEntry("trending", 10L).containsEntry("loadgen", 100L)
                .containsEntry("platform", 170L);
    }

    @Test
    void aWindowGivesCoresSwitchesPerOpAndHowMuchOfTheMachinesBusyTimeTheProcessesExplain() {
        ProcessCpu.Sample start = new ProcessCpu.Sample(0, Map.of("gateway", 10.0, "processor", 4.0, "loadgen", 1.0),
                Map.of("gateway", 1_000L, "processor", 500L, "loadgen", 0L), 100.0, 110.0, 50_000);
        ProcessCpu.Sample end = new ProcessCpu.Sample(10_000_000_000L,
                Map.of("gateway", 13.0, "processor", 6.0, "loadgen", 3.0),
                Map.of("gateway", 31_000L, "processor", 10_500L, "loadgen", 5_000L), 108.0, 119.0, 150_000);

        ProcessCpu.Window window = ProcessCpu.between(start, end, 10_000);

        assertThat(window.seconds()).isEqualTo(10.0);
        assertThat(window.usPerOp()).containsEntry("gateway", 300L).containsEntry("processor", 200L)
                .containsEntry("loadgen", 200L).containsEntry("platform", 500L);
        assertThat(window.cores()).containsEntry("gateway", 0.3).containsEntry("platform", 0.5);
        assertThat(window.switchesPerOp()).containsEntry("gateway", 3.0).containsEntry("processor", 1.0)
                .containsEntry("platform", 4.0).containsEntry("loadgen", 0.5);
        assertThat(window.machineCores()).isEqualTo(0.9);
        assertThat(window.machineSwitchesPerOp()).isEqualTo(10.0);
        assertThat(window.accounted()).isEqualTo(0.889);
    }

    @Test
    void readsThisProcesssOwnCpuTimeAndTheMachinesFromProc() {
        ProcessCpu.Sample sample = new ProcessCpu().sample();

        assertThat(sample.seconds()).containsKey("loadgen");
        assertThat(sample.switches().get("loadgen")).isPositive();
        assertThat(sample.machineBusy()).isPositive();
        assertThat(sample.allProcesses()).isGreaterThanOrEqualTo(sample.seconds().get("loadgen"));
    }
}
