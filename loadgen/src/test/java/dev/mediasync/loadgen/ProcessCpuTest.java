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
    void readsThisProcesssOwnCpuTimeFromProc() {
        assertThat(new ProcessCpu().seconds()).containsKey("loadgen");
    }
}
