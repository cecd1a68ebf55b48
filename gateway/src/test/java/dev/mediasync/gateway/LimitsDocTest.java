package dev.mediasync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.contract.ConfigurationTable;
import dev.mediasync.contract.ContractLimits;
import dev.mediasync.gateway.auth.AuthProperties;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.privacy.PrivacyProperties;
import org.junit.jupiter.api.Test;

/** The gateway's rows of the contract's limits table and of docs/configuration.md say what its properties' defaults are. */
class LimitsDocTest {

    @Test
    void everyDocumentedGatewayLimitIsTheDefault() {
        assertThat(ContractLimits.assertDocumentedDefaults("sync.gateway", GatewayProperties.class)).isEqualTo(14);
    }

    @Test
    void everyDefaultInTheConfigurationPageIsTheDefault() {
        assertThat(ConfigurationTable.assertDocumentedDefaults("sync.gateway", GatewayProperties.class)).isEqualTo(31);
        assertThat(ConfigurationTable.assertDocumentedDefaults("sync.security", AuthProperties.class)).isEqualTo(2);
        assertThat(ConfigurationTable.assertDocumentedDefaults("sync.privacy", PrivacyProperties.class)).isEqualTo(1);
    }
}
