package dev.mediasync.gateway;

import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.clock.HybridClock;
import dev.mediasync.gateway.ops.UserClocks;
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

    /** Stamps ops that arrive without a timestamp and observes those that carry one, per user. */
    @Bean
    public UserClocks userClocks(GatewayProperties properties) {
        return new UserClocks(HybridClock.system(properties.maxClockSkew()), properties.maxClockSkew(),
                properties.rateLimitBuckets());
    }
}
