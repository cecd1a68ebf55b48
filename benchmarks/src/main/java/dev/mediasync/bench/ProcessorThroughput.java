package dev.mediasync.bench;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.local.LocalKafka;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.ProcessorProperties.Profile;
import dev.mediasync.processor.topology.ProcessorMetrics;
import dev.mediasync.processor.topology.SyncTopology;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.KeysTopicPartitioner;
import dev.mediasync.topics.SyncTopics;
import dev.mediasync.topics.Topics;
import dev.mediasync.privacy.AesKeyWrapper;
import dev.mediasync.privacy.DataKey;
import dev.mediasync.privacy.KeyWrapper;
import dev.mediasync.privacy.SealedOps;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How many ops per second the processor applies with its RocksDB stores, against a real broker: the op
 * log is filled first (10,000 users; 60 % progress, 30 % watchlist, 10 % heartbeats over 500 titles),
 * then the processor starts with the production settings and the clock runs until it has committed
 * the whole log. Usage: {@code ProcessorThroughput [ops] [streamThreads] [latency|bulk] [sealed|plain] [name=value…]}:
 * {@code latency} is the live processor's profile, {@code bulk} a replay's ({@code bin/sync-replay});
 * {@code sealed} (the default, as gateways write) seals each op under its user's data key, written first
 * to the keys topic. Each {@code name=value} is a processor setting to try, e.g.
 * {@code sync.processor.streams.[commit.interval.ms]=10000}.
 */
public final class ProcessorThroughput {

    private static final int USERS = 10_000;
    private static final int PARTITIONS = 12;

    public static void main(String[] args) throws Exception {
        int opCount = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Profile profile = args.length > 2 ? Profile.valueOf(args[2].toUpperCase(java.util.Locale.ROOT)) : Profile.LATENCY;
        boolean sealed = args.length <= 3 || !args[3].equals("plain");
        String kek = Base64.getEncoder().encodeToString(DataKey.generate().secret().getEncoded());
        Path dir = Files.createTempDirectory("processor-throughput");
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), freePort(), freePort())) {
            SyncTopics topics = SyncTopics.defaults();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(topics.ops(), topics.state(), topics.commands(), topics.deadLetter(),
                        topics.keys(), topics.deliveries()).stream()
                        .map(name -> new NewTopic(name, PARTITIONS, (short) 1)).toList()).all().get();
                long filled = fill(kafka.bootstrapServers(), topics, opCount, sealed ? AesKeyWrapper.fromBase64(kek) : null);
                System.out.printf("filled the op log with %,d %s ops in %,d ms%n", USERS + opCount,
                        sealed ? "sealed" : "plain", filled);

                Map<String, String> settings = new HashMap<>(Map.of(
                        "sync.processor.profile", profile.name(), "sync.processor.presence-sweep", "false",
                        "sync.processor.kek", kek));
                for (int i = 4; i < args.length; i++) { // name=value: a setting to try, e.g. a streams config
                    String[] setting = args[i].split("=", 2);
                    settings.put(setting[0], setting[1]);
                }
                ProcessorProperties properties = ProcessorProperties.of(settings);
                Properties config = SyncTopology.streamsConfig(properties, kafka.bootstrapServers());
                config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
                config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
                config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
                Map<TopicPartition, Long> end = admin.listOffsets(partitions(topics.ops()).stream()
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                try (KafkaStreams streams = new KafkaStreams(SyncTopology.build(properties,
                        new ProcessorMetrics(new SimpleMeterRegistry())), config)) {
                    long start = System.nanoTime();
                    streams.start();
                    long total = end.values().stream().mapToLong(Long::longValue).sum();
                    long firstCommitAt = 0;
                    long firstCommitted = 0;
                    long committed;
                    while ((committed = committed(admin, properties.applicationId(), end)) < total) {
                        if (firstCommitAt == 0 && committed > 0) {
                            firstCommitAt = System.nanoTime();
                            firstCommitted = committed;
                        }
                        Thread.sleep(50);
                    }
                    long done = System.nanoTime();
                    double seconds = (done - start) / 1e9;
                    System.out.printf("applied %,d ops in %.2f s with %d stream thread(s), %s profile: %,.0f ops/s "
                            + "(includes start-up and the first rebalance)%n", USERS + opCount, seconds, threads, profile,
                            (USERS + opCount) / seconds);
                    System.out.printf("after the first commit (%.2f s in, %,d ops committed): %,.0f ops/s%n",
                            (firstCommitAt - start) / 1e9, firstCommitted,
                            (total - firstCommitted) / ((done - firstCommitAt) / 1e9));
                }
            }
        }
    }

    private static long fill(String brokers, SyncTopics topics, int opCount, KeyWrapper wrapper) {
        MessageCodec codec = new MessageCodec();
        SplittableRandom random = new SplittableRandom(7);
        long clock = System.currentTimeMillis();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            DataKey[] keys = new DataKey[USERS];
            for (int u = 0; u < USERS && wrapper != null; u++) {
                String user = "user-" + u;
                keys[u] = DataKey.generate();
                producer.send(new ProducerRecord<>(topics.keys(), KeysTopicPartitioner.partitionOf(user, PARTITIONS),
                        Topics.keyRecordKey(user, keys[u].id()), wrapper.wrap(user, keys[u])));
            }
            producer.flush(); // every key durable before the ops it seals, as a gateway writes them
            for (int u = 0; u < USERS; u++) {
                String user = "user-" + u;
                producer.send(new ProducerRecord<>(topics.ops(), user, sealed(user, keys[u], codec.encodeOp(new Op(user,
                        "tv-1", Hlc.of(++clock, 0), clock, new DevicePresence(PresenceEvent.CONNECT, "s" + u))))));
            }
            for (int i = 0; i < opCount; i++) {
                int u = random.nextInt(USERS);
                String user = "user-" + u;
                producer.send(new ProducerRecord<>(topics.ops(), user, sealed(user, keys[u], codec.encodeOp(new Op(user,
                        "tv-1", Hlc.of(++clock, 0), clock, op(random, "op-" + i))))));
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static byte[] sealed(String user, DataKey key, byte[] op) {
        return key == null ? op : SealedOps.seal(user, key, op);
    }

    private static OpBody op(SplittableRandom random, String opId) {
        int kind = random.nextInt(10);
        String content = "tmdb:" + random.nextInt(500);
        if (kind < 6) {
            return new ProgressUpdate(opId, content, new PlaybackPosition(random.nextInt(8000), 8217,
                    PlaybackState.PLAYING));
        }
        if (kind < 9) {
            return new WatchlistUpdate(opId, kind == 8 ? WatchlistOperation.REMOVE : WatchlistOperation.ADD, content,
                    null);
        }
        return new DevicePresence(PresenceEvent.HEARTBEAT, "s");
    }

    private static List<TopicPartition> partitions(String topic) {
        return java.util.stream.IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /** The ops of {@code end}'s partitions that the group has committed. */
    private static long committed(Admin admin, String group, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return end.keySet().stream().mapToLong(p -> committed.get(p) == null ? 0
                : Math.min(committed.get(p).offset(), end.get(p))).sum();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ProcessorThroughput() {
    }
}
