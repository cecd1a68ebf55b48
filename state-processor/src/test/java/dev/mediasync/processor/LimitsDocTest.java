package dev.mediasync.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.contract.ContractLimits;
import org.junit.jupiter.api.Test;

/** The processor's rows of the contract's limits table say what its properties' defaults are. */
class LimitsDocTest {

    @Test
    void everyDocumentedProcessorLimitIsTheDefault() {
        assertThat(ContractLimits.assertDocumentedDefaults("sync.processor", ProcessorProperties.class)).isEqualTo(4);
    }
}
