package dev.mediasync.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.contract.ConfigurationTable;
import dev.mediasync.contract.ContractLimits;
import org.junit.jupiter.api.Test;

/** The processor's rows of the contract's limits table and of docs/configuration.md say what its properties' defaults are. */
class LimitsDocTest {

    @Test
    void everyDocumentedProcessorLimitIsTheDefault() {
        assertThat(ContractLimits.assertDocumentedDefaults("sync.processor", ProcessorProperties.class)).isEqualTo(4);
    }

    @Test
    void everyDefaultInTheConfigurationPageIsTheDefault() {
        assertThat(ConfigurationTable.assertDocumentedDefaults("sync.processor", ProcessorProperties.class)).isEqualTo(26);
    }
}
