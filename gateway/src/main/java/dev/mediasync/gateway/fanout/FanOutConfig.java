package dev.mediasync.gateway.fanout;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/** The fan-out listener's container settings. */
@Configuration(proxyBeanMethods = false)
public class FanOutConfig {

    /**
     * The fan-out never commits offsets: each gateway reads from the end under a group of its own, so a
     * committed offset is never read back, and committing after every poll cost a broker request per
     * poll and left each restarted gateway's offsets behind for the broker's offset retention.
     */
    @Bean
    public ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> fanOutNeverCommits() {
        return container -> container.getContainerProperties().setAckMode(AckMode.MANUAL);
    }
}
