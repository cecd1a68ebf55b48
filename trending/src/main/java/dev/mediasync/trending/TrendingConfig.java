package dev.mediasync.trending;

import dev.mediasync.topics.StaticMembership;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.TopicBuilder;

/** The Kafka Streams application (run by spring-kafka's factory bean), its output topic and its health. */
@Configuration(proxyBeanMethods = false)
class TrendingConfig {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration streamsConfig(TrendingProperties properties, KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.replicationFactor());
        // a new deployment counts what the (compacted) state topic still holds of the last window
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // counts reach the top lists at each commit (the record cache merges a title's updates until then)
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 5_000);
        // Lists change every few seconds at most, so nothing here needs a record the moment it is written:
        // fetches wait for 256 KiB or a second and writes linger 100 ms, instead of a request per event
        // (on the platform's own cores this consumer cost 0.3-0.4 of a core at 1,000 ops/s before).
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 256 * 1024);
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 1_000);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 100);
        // Kafka Streams does not leave its group on this close, so a restart as a new member ran nothing for
        // 45 s in REBALANCING (and a stop meanwhile waited 10 s for its thread): under the same instance id
        // it takes its partition back at once.
        StaticMembership.consumerSettings(properties.instanceId(), properties.sessionTimeout())
                .forEach((key, value) -> config.put(StreamsConfig.mainConsumerPrefix(key), value));
        config.putAll(properties.streams());
        return new KafkaStreamsConfiguration(config);
    }

    @Bean
    Object trendingTopology(StreamsBuilder builder, TrendingProperties properties) {
        TrendingTopology.build(builder, properties);
        return properties.topic();
    }

    /** Compacted: a reader needs only the latest list of each key. */
    @Bean
    NewTopic trendingTopic(TrendingProperties properties) {
        return TopicBuilder.name(properties.topic()).partitions(1).replicas(properties.replicationFactor())
                .compact().build();
    }

    @Bean("streams")
    HealthIndicator streamsHealth(StreamsBuilderFactoryBean factory) {
        return () -> {
            var streams = factory.getKafkaStreams();
            if (streams == null) {
                return Health.outOfService().build();
            }
            var state = streams.state();
            return (state.isRunningOrRebalancing() ? Health.up() : Health.down()).withDetail("state", state.name())
                    .build();
        };
    }
}
