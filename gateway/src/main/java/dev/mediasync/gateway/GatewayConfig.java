package dev.mediasync.gateway;

import dev.mediasync.clock.HybridClock;
import dev.mediasync.protocol.MessageCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The domain objects the gateway shares between its edges. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfig {

    @Bean
    public MessageCodec messageCodec() {
        return new MessageCodec();
    }

    /** Stamps ops that arrive without a timestamp and observes those that carry one. */
    @Bean
    public HybridClock hybridClock(GatewayProperties properties) {
        return HybridClock.system(properties.maxClockSkew());
    }
}
