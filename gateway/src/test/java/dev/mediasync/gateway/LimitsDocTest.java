package dev.mediasync.gateway;

import dev.mediasync.gateway.base.GatewayProperties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.contract.ContractLimits;
import org.junit.jupiter.api.Test;

/** The gateway's rows of the contract's limits table say what its properties' defaults are. */
class LimitsDocTest {

    @Test
    void everyDocumentedGatewayLimitIsTheDefault() {
        assertThat(ContractLimits.assertDocumentedDefaults("sync.gateway", GatewayProperties.class)).isEqualTo(14);
    }
}
