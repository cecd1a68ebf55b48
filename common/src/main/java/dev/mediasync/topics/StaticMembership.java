package dev.mediasync.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Static group membership for a Kafka Streams application's main consumer, as the processor and trending
 * use it. Unless its close asks to leave the group, Streams closes without leaving it, so a restart as a
 * new member would wait out the old member's session; under the same instance id it takes its partitions
 * back at once, and a killed instance's partitions move after the session timeout. Streams appends the
 * thread index to the id.
 */
public final class StaticMembership {

    private StaticMembership() {
    }

    /**
     * The consumer settings (to be given the main-consumer prefix): the instance id in the characters
     * Kafka allows, the session timeout, and a heartbeat at most a second apart, so the other instances
     * learn of a rebalance within a second.
     */
    public static Map<String, Object> consumerSettings(String instanceId, Duration sessionTimeout) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId.replaceAll("[^a-zA-Z0-9._-]", "-"));
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(1000, sessionTimeout.toMillis() / 3));
        return settings;
    }
}
