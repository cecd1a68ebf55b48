package dev.mediasync.processor.topology;

import dev.mediasync.topics.KeysTopicPartitioner;
import dev.mediasync.topics.Topics;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Puts a state record ({@code user|kind|entity}) on the partition that the default partitioner gives
 * its user id, the same partition as the user's ops and commands, so one user's events stay in order.
 */
public final class UserPartitioner implements StreamPartitioner<String, byte[]> {

    public static int partitionOf(String userId, int numPartitions) {
        return KeysTopicPartitioner.partitionOf(userId, numPartitions);
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
        return Optional.of(Set.of(partitionOf(Topics.userOfStateKey(key), numPartitions)));
    }
}
