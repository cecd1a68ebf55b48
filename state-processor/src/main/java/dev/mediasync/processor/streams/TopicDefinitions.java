package dev.mediasync.processor.streams;

import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.topics.SyncTopics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics of PROTOCOL.md, created at start-up when missing (Boot's {@link KafkaAdmin} creates every
 * {@link NewTopic} bean). Existing topics are left as they are. The op log is kept forever by default: it
 * is the source of truth, and a replay must see everything that made today's state. With three replicas an acked write is on
 * two brokers ({@code min.insync.replicas=2}), so one broker can die without losing it or stopping writes.
 */
@Configuration(proxyBeanMethods = false)
public class TopicDefinitions {

    static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    @Bean
    public KafkaAdmin.NewTopics syncTopics(ProcessorProperties properties, KafkaAdmin admin) {
        // before KafkaAdmin creates (or grows) anything: a different partition count would strand users' state
        PartitionGuard.check(admin.getConfigurationProperties(), properties);
        SyncTopics names = properties.topics();
        return new KafkaAdmin.NewTopics(
                topic(properties, names.ops(), TopicConfig.CLEANUP_POLICY_DELETE, properties.opsRetention()),
                // a consumer that reads from the start reads about one record per live entity
                topic(properties, names.state(), TopicConfig.CLEANUP_POLICY_COMPACT, null,
                        properties.compactedTopic("0.1")).build(),
                // a destroyed key is gone from the log within the compaction lag (docs/privacy.md)
                topic(properties, names.keys(), TopicConfig.CLEANUP_POLICY_COMPACT, null,
                        properties.compactedTopic("0.01")).build(),
                // read live only (a gateway starts at the end): the retention is for looking into them
                topic(properties, names.commands(), TopicConfig.CLEANUP_POLICY_DELETE, properties.liveRetention(),
                        Map.of(TopicConfig.SEGMENT_MS_CONFIG, millis(properties.liveRetention()))).build(),
                topic(properties, names.deliveries(), TopicConfig.CLEANUP_POLICY_DELETE, properties.liveRetention(),
                        Map.of(TopicConfig.SEGMENT_MS_CONFIG, millis(properties.liveRetention())))
                        .partitions(properties.deliverySlots()).build(),
                topic(properties, names.deadLetter(), TopicConfig.CLEANUP_POLICY_DELETE, DEAD_LETTER_RETENTION));
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }

    private static NewTopic topic(ProcessorProperties properties, String name, String cleanup, Duration retention) {
        return topic(properties, name, cleanup, retention, Map.of()).build();
    }

    /** @param retention {@code null}: keep forever */
    private static TopicBuilder topic(ProcessorProperties properties, String name, String cleanup, Duration retention,
                                      Map<String, String> extra) {
        TopicBuilder builder = TopicBuilder.name(name)
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup)
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(properties.minInsyncReplicas()));
        if (TopicConfig.CLEANUP_POLICY_DELETE.equals(cleanup)) {
            builder.config(TopicConfig.RETENTION_MS_CONFIG, retention == null ? "-1" : millis(retention));
        }
        return builder.configs(extra);
    }
}
