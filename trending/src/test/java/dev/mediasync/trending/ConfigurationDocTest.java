package dev.mediasync.trending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.contract.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The trending service's rows of docs/configuration.md say what its properties' defaults are. */
class ConfigurationDocTest {

    @Test
    void everyDefaultInTheConfigurationPageIsTheDefault() {
        assertThat(ConfigurationTable.assertDocumentedDefaults("sync.trending", TrendingProperties.class)).isEqualTo(9);
    }
}
