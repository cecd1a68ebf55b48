package dev.mediasync.topics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * A producer's partitioner that puts a data key's record ({@code user_id|key_id} in {@link Topics#KEYS}) on
 * the partition of its user's ops, so that the processor's task for the user reads both; every other
 * keyed record goes where Kafka's default partitioner would put it. Configure with
 * {@link #KEYS_TOPIC_CONFIG}.
 */
public final class KeysTopicPartitioner implements Partitioner {

    public static final String KEYS_TOPIC_CONFIG = "sync.keys.topic";

    private String keysTopic = Topics.KEYS;

    /** A producer's settings that make it partition with this class, for the keys topic {@code keysTopic}. */
    public static Map<String, Object> producerSettings(String keysTopic) {
        return Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG, KeysTopicPartitioner.class, KEYS_TOPIC_CONFIG, keysTopic);
    }

    /** The partition of a user's records among {@code partitions}: Kafka's default for the user id as key. */
    public static int partitionOf(String userId, int partitions) {
        return partitionOf(userId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(KEYS_TOPIC_CONFIG);
        if (topic != null) {
            keysTopic = topic.toString();
        }
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (keyBytes == null) {
            throw new IllegalArgumentException("every record of the platform is keyed (by user); " + topic + " got none");
        }
        int partitions = cluster.partitionCountForTopic(topic);
        if (topic.equals(keysTopic)) {
            return partitionOf(Topics.userOfKeyRecord((String) key), partitions);
        }
        return partitionOf(keyBytes, partitions);
    }

    @Override
    public void close() {
    }
}
