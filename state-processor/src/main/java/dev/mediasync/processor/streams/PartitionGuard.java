package dev.mediasync.processor.streams;

import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.store.EntityStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start when a topic's partition count differs from {@code sync.processor.partitions} or from
 * the stores' changelogs. A user's state lives in the store of the partition their id hashes to: with more
 * (or fewer) partitions most users hash elsewhere and would start from nothing, while their old state sits
 * in another task. Spring's KafkaAdmin would even add the partitions to match the setting. Changing the
 * count means a replay into a new deployment (docs/operations.md, "Changing the partition count").
 */
final class PartitionGuard {

    private static final Logger log = LoggerFactory.getLogger(PartitionGuard.class);

    private PartitionGuard() {
    }

    /** @throws IllegalStateException naming every topic whose partition count does not match */
    static void check(Map<String, Object> adminConfig, ProcessorProperties properties) {
        String changelog = properties.applicationId() + "-" + EntityStore.NAME + "-changelog";
        List<String> topics = List.of(properties.topics().ops(), properties.topics().state(), changelog);
        Map<String, TopicDescription> existing;
        try (Admin admin = Admin.create(adminConfig)) {
            existing = describeExisting(admin, topics);
        } catch (TimeoutException e) {
            log.warn("Could not check the partition counts of {}: Kafka did not answer in time", topics);
            return;
        }
        List<String> mismatches = new ArrayList<>();
        existing.forEach((name, description) -> {
            int partitions = description.partitions().size();
            if (partitions != properties.partitions()) {
                mismatches.add(name + " has " + partitions + " partitions");
            }
        });
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("Refusing to start: sync.processor.partitions is " + properties.partitions()
                    + " but " + String.join(", ", mismatches) + ". Users are assigned to partitions by a hash of "
                    + "their id, and each partition's state lives in its own store: a different count would move "
                    + "most users away from their state. Set sync.processor.partitions to the topics' count, or "
                    + "move to a new count by replaying into a new deployment (docs/operations.md: Changing the partition count).");
        }
    }

    private static Map<String, TopicDescription> describeExisting(Admin admin, List<String> topics)
            throws TimeoutException {
        Map<String, TopicDescription> found = new java.util.HashMap<>();
        for (String topic : topics) {
            try {
                found.put(topic, admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe " + topic + ": " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return found;
    }
}
