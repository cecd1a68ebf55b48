package dev.mediasync.gateway.privacy;

import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.topics.KeysTopicPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Data keys' records go to their user's partition of {@code sync.keys.v1}, where the processor's task for the user reads them. */
@Configuration(proxyBeanMethods = false)
class PrivacyConfig {

    private static final Logger log = LoggerFactory.getLogger(PrivacyConfig.class);

    @Bean
    DefaultKafkaProducerFactoryCustomizer keysOnTheirUsersPartition(GatewayProperties properties, PrivacyProperties privacy) {
        if (!privacy.sealing()) {
            log.warn("sync.privacy.kek is not set: ops go into the log unsealed, and an erased user's ops stay "
                    + "readable there (docs/privacy.md)");
        }
        return factory -> factory.updateConfigs(KeysTopicPartitioner.producerSettings(properties.topics().keys()));
    }
}
