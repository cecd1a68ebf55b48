package dev.mediasync.processor.streams;

import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.topics.SyncTopics;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics of PROTOCOL.md, created at start-up when missing (Boot's {@link KafkaAdmin} creates every
 * {@link NewTopic} bean). Existing topics are left as they are. With three replicas an acked write is on
 * two brokers ({@code min.insync.replicas=2}), so one broker can die without losing it or stopping writes.
 */
@Configuration(proxyBeanMethods = false)
public class TopicDefinitions {

    static final Duration OPS_RETENTION = Duration.ofDays(7);
    static final Duration COMMANDS_RETENTION = Duration.ofHours(1);
    static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    @Bean
    public KafkaAdmin.NewTopics syncTopics(ProcessorProperties properties) {
        SyncTopics names = properties.topics();
        return new KafkaAdmin.NewTopics(
                topic(properties, names.ops(), TopicConfig.CLEANUP_POLICY_DELETE, OPS_RETENTION),
                topic(properties, names.state(), TopicConfig.CLEANUP_POLICY_COMPACT, null),
                topic(properties, names.commands(), TopicConfig.CLEANUP_POLICY_DELETE, COMMANDS_RETENTION),
                topic(properties, names.deadLetter(), TopicConfig.CLEANUP_POLICY_DELETE, DEAD_LETTER_RETENTION));
    }

    private static NewTopic topic(ProcessorProperties properties, String name, String cleanup, Duration retention) {
        TopicBuilder builder = TopicBuilder.name(name)
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup)
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(properties.minInsyncReplicas()));
        if (retention != null) {
            builder.config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return builder.build();
    }
}
