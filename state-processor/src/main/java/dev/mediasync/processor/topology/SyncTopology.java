package dev.mediasync.processor.topology;

import dev.mediasync.processor.ProcessorProperties.Profile;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.emit.Delivery;
import dev.mediasync.processor.emit.PartitionVersions;
import dev.mediasync.processor.emit.Sinks;
import dev.mediasync.privacy.AesKeyWrapper;
import dev.mediasync.privacy.KeyWrapper;
import dev.mediasync.processor.privacy.ErasedUsers;
import dev.mediasync.processor.privacy.ParkedOps;
import dev.mediasync.processor.privacy.KeyStore;
import dev.mediasync.processor.store.BoundedRocksDbMemory;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.OpLedger;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.topics.StaticMembership;
import dev.mediasync.topics.KeysTopicPartitioner;
import dev.mediasync.topics.SyncTopics;
import dev.mediasync.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology: one source (the op log), one processor holding four RocksDB stores, and
 * sinks for state, commands, dead letters and the op log itself (presence timeouts). {@link #build} and {@link #streamsConfig} are what the
 * application and the tests both run.
 */
public final class SyncTopology {

    public static final String SOURCE = "ops-source";
    public static final String PROCESSOR = "op-processor";
    public static final String KEYS_SOURCE = "keys-source";


    private SyncTopology() {
    }

    public static Topology build(ProcessorProperties properties, ProcessorMetrics metrics) {
        return build(properties, metrics, new PartitionVersions());
    }

    public static Topology build(ProcessorProperties properties, ProcessorMetrics metrics,
                                 PartitionVersions versions) {
        SyncTopics topics = properties.topics();
        MessageCodec codec = new MessageCodec();
        Topology topology = new Topology();
        // the changelogs of stores that hold users' data compact like the state topic: what an erase deletes
        // is gone from them within the compaction lag and the tombstones' retention
        Map<String, String> erasable = properties.compactedTopic("0.01");
        KeyWrapper wrapper = properties.kek().isBlank() ? null : AesKeyWrapper.fromBase64(properties.kek(),
                properties.previousKeks());
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.ops());
        // the data keys, co-partitioned with the ops: a key is written (and so read) before the ops it seals
        topology.addSource(KEYS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.keys());
        topology.addProcessor(PROCESSOR, () -> new OpProcessor(properties, codec, metrics, versions, wrapper),
                SOURCE, KEYS_SOURCE);
        // No store has a record cache (the builders' default), in either profile: live, every applied op is
        // written at once; in a replay most keys are new, and a large cache's sorted lookups cost more than the
        // writes it saves (ProcessorThroughput, bulk: 18,400-20,600 ops/s uncached, 16,500-18,400 with 256 MiB).
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EntityStore.NAME),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(erasable), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EntityStore.COUNTS_NAME),
                Serdes.String(), Serdes.Integer()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PresenceStore.NAME),
                Serdes.String(), Serdes.String()).withLoggingEnabled(erasable), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PresenceStore.ROUTES_NAME),
                Serdes.String(), Serdes.String()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(KeyStore.NAME),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(erasable),
                PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ErasedUsers.NAME),
                Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ParkedOps.NAME),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(erasable),
                PROCESSOR);
        Duration ledgerRetention = OpLedger.retention(properties.dedupWindow(), properties.maxClockSkew());
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(OpLedger.NAME, ledgerRetention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addSink(Sinks.STATE, topics.state(), new StringSerializer(), new ByteArraySerializer(),
                new UserPartitioner(), PROCESSOR);
        topology.addSink(Sinks.COMMANDS, topics.commands(), new StringSerializer(), new ByteArraySerializer(),
                PROCESSOR);
        if (properties.deliveries()) {
            topology.addSink(Sinks.DELIVERIES, topics.deliveries(), new StringSerializer(),
                    new Delivery.EventSerializer(), new Delivery.SlotPartitioner(), PROCESSOR);
        }
        // destroyed data keys: tombstones on their user's partition
        topology.addSink(Sinks.KEYS, topics.keys(), new StringSerializer(), new ByteArraySerializer(),
                (topic, key, value, partitions) -> Optional.of(Set.of(
                        KeysTopicPartitioner.partitionOf(Topics.userOfKeyRecord((String) key), partitions))),
                PROCESSOR);
        // presence timeouts go into the op log (keyed by user, partitioned as the gateways write it)
        topology.addSink(Sinks.OPS, topics.ops(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(Sinks.DEAD_LETTER, topics.deadLetter(), new StringSerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
    }

    public static Properties streamsConfig(ProcessorProperties properties, String bootstrapServers) {
        SyncTopics topics = properties.topics();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.replicationFactor());
        config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), properties.minInsyncReplicas());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        // A restarted instance takes its partitions back without a rebalance; a clean stop leaves the group
        // at once (StreamsRunner closes with leaveGroup), a killed one after the session timeout.
        StaticMembership.consumerSettings(properties.instanceId(), properties.sessionTimeout())
                .forEach((key, value) -> config.put(StreamsConfig.mainConsumerPrefix(key), value));
        // Interactive queries: other instances learn where to forward a user's snapshot request.
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, properties.advertisedUrl());
        // Merges are idempotent (op-id ledger), so at-least-once already gives exactly-once state without
        // a transaction commit on the hot path (exactly_once_v2 measured p50 68 ms here).
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        if (properties.profile() == Profile.BULK) {
            bulkSettings(config);
        } else {
            latencySettings(config);
        }
        // A result the broker refuses (too large, invalid) must not stop the partition and, after a restart,
        // stop it again on the same op: the op is dead-lettered and the stream goes on.
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProductionHandler.class);
        config.put(DeadLetteringProductionHandler.DEAD_LETTER_TOPIC_CONFIG, topics.deadLetter());
        if (properties.rocksdbMemory().toBytes() > 0) {
            config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
            config.put(BoundedRocksDbMemory.MEMORY_CONFIG, properties.rocksdbMemory().toBytes());
        }
        config.putAll(properties.streams());
        return config;
    }

    private static void latencySettings(Properties config) {
        // Default 30 s: a restart would re-read up to 30 s of ops. 100 ms bounds that cheaply.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Streams sets linger.ms=100 for its producer; send each result as soon as it exists.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        // No compression: at linger 0 most batches hold one record, and Kafka's lz4 allocates 128 KiB of
        // buffers per batch (86 % of this process's allocations at 1,000 ops/s, measured with JFR).
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        // A fetch returns as soon as one record is there (fetch.min.bytes 1); the wait only bounds an idle
        // fetch, so a longer one costs no latency and wakes the broker less (Kafka's default, 500 ms).
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 500);
    }

    /**
     * For a replay, where nobody waits for one op: commits are rare, every produced batch is large and
     * compressed, and polls are large.
     */
    private static void bulkSettings(Properties config) {
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 2_000);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 50);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        config.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 128L * 1024 * 1024);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 1024 * 1024);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 4 * 1024 * 1024);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 200);
    }
}
