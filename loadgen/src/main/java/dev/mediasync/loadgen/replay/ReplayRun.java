package dev.mediasync.loadgen.replay;

import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * bin/sync-replay: rebuilds the state from {@code sync.ops.v1} with a processor of its own (new
 * application id, topics {@code sync.state.<name>.v1} and so on, presence sweep off, a bulk profile),
 * shows its progress in ops/s, then diffs the rebuilt state against the live {@code sync.state.v1} per
 * user and entity. Refuses a truncated log: a replay of part of the history is not the state.
 *
 * <p>Options: {@code --bootstrap 127.0.0.1:9092}, {@code --name replay-<time>}, {@code --port 8181},
 * {@code --data-dir DIR}, {@code --root .}, {@code --stream-threads 1}, {@code --allow-truncated} (replay
 * what is left anyway).
 */
public final class ReplayRun {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** The exit status: 0 when the rebuilt state equals the live one, 1 when it differs, 2 when refused. */
    static int run(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--bootstrap", "127.0.0.1:9092",
                "--name", "replay-" + System.currentTimeMillis() / 1000, "--port", "8181", "--root", ".",
                "--stream-threads", "1"));
        boolean allowTruncated = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--allow-truncated")) {
                allowTruncated = true;
            } else if (i + 1 < args.length && (options.containsKey(args[i]) || args[i].equals("--data-dir"))) {
                options.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (see bin/sync-replay --help)");
            }
        }
        String name = options.get("--name");
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("--name must be 1-40 of [a-z0-9-]");
        }
        String bootstrap = options.get("--bootstrap");
        String stateTopic = "sync.state." + name + ".v1";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> earliest = offsets(admin, OffsetSpec.earliest());
            String refusal = truncation(earliest);
            if (refusal != null && !allowTruncated) {
                System.err.println(refusal);
                return 2;
            }
            Map<TopicPartition, Long> end = offsets(admin, OffsetSpec.latest());
            long total = end.values().stream().mapToLong(Long::longValue).sum()
                    - earliest.values().stream().mapToLong(Long::longValue).sum();
            System.out.println("sync-replay: " + name + ": " + total + " ops in " + Topics.OPS + " to apply into "
                    + stateTopic);
            Process processor = startProcessor(options, name, bootstrap);
            Runtime.getRuntime().addShutdownHook(new Thread(processor::destroy));
            try {
                follow(admin, processor, "sync-" + name, end, total, Integer.parseInt(options.get("--port")) + 10);
            } finally {
                processor.destroy();
                processor.waitFor();
            }
        }
        Map<String, String> live = latest(bootstrap, Topics.STATE);
        Map<String, String> rebuilt = latest(bootstrap, stateTopic);
        return diff(live, rebuilt) ? 0 : 1;
    }

    /** Why a replay of this log cannot rebuild today's state, or {@code null} when it starts at offset 0. */
    static String truncation(Map<TopicPartition, Long> earliest) {
        List<Integer> truncated = earliest.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().partition()).sorted().toList();
        if (truncated.isEmpty()) {
            return null;
        }
        return "sync-replay: " + Topics.OPS + " no longer starts at offset 0 in partitions " + truncated
                + " (retention or deleteRecords removed its oldest ops), so a replay cannot rebuild today's state. "
                + "Keep the op log forever (the default) or pass --allow-truncated to replay what is left.";
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, OffsetSpec spec) throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.OPS)).allTopicNames().get()
                .get(Topics.OPS).partitions().stream().map(p -> new TopicPartition(Topics.OPS, p.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec))).all().get()
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Process startProcessor(Map<String, String> options, String name, String bootstrap)
            throws IOException {
        Path root = Path.of(options.get("--root")).toAbsolutePath();
        Path dataDir = Path.of(options.getOrDefault("--data-dir", root.resolve("data/" + name).toString()));
        Path log = dataDir.resolve("replay.log");
        Files.createDirectories(dataDir);
        int port = Integer.parseInt(options.get("--port"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", root.resolve("state-processor/target/state-processor-0.1.0-SNAPSHOT-exec.jar").toString(),
                "--server.port=" + port, "--management.server.port=" + (port + 10), "--server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--sync.processor.application-id=sync-" + name, "--sync.processor.presence-sweep=false",
                "--sync.processor.deliveries=false", // no live gateway is to get a replay's events
                // rare commits, full lz4 batches, large polls: see SyncTopology.streamsConfig
                "--sync.processor.profile=bulk", "--sync.processor.stream-threads=" + options.get("--stream-threads"),
                "--sync.processor.standby-replicas=0", "--sync.processor.state-dir=" + dataDir.resolve("state"),
                "--sync.processor.advertised-url=localhost:" + port,
                "--sync.processor.topics.state=sync.state." + name + ".v1",
                "--sync.processor.topics.commands=sync.commands." + name + ".v1",
                "--sync.processor.topics.dead-letter=sync.ops.dlq." + name + ".v1"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putIfAbsent("SYNC_PROCESSOR_QUERY_TOKEN", "replay-" + System.nanoTime() + "-token");
        System.out.println("sync-replay: processor log in " + log);
        return builder.start();
    }

    /** Prints progress every 2 s until the replay's group has committed the end offsets. */
    private static void follow(Admin admin, Process processor, String group, Map<TopicPartition, Long> end,
                               long total, int port) throws Exception {
        long started = System.nanoTime();
        long runningAt = -1; // when the processor's stores are ready and it starts reading ops
        while (true) {
            if (!processor.isAlive()) {
                throw new IllegalStateException("the replay processor exited (" + processor.exitValue() + ")");
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long done = end.keySet().stream().mapToLong(p -> committed.containsKey(p) && committed.get(p) != null
                    ? Math.min(committed.get(p).offset(), end.get(p)) : 0).sum()
                    - (end.values().stream().mapToLong(Long::longValue).sum() - total);
            if (runningAt < 0 && ready(port)) {
                runningAt = System.nanoTime();
            }
            double seconds = runningAt < 0 ? 0 : (System.nanoTime() - runningAt) / 1e9;
            System.out.printf("sync-replay: %,d of %,d ops (%.0f%%), %,.0f ops/s since the stores were ready%n", Math.max(0, done), total,
                    total == 0 ? 100.0 : 100.0 * Math.max(0, done) / total, seconds > 0 ? done / seconds : 0.0);
            if (done >= total) {
                System.out.printf("sync-replay: applied %,d ops in %.1f s (%.1f s with start-up)%n", total, seconds,
                        (System.nanoTime() - started) / 1e9);
                return;
            }
            Thread.sleep(1_000);
        }
    }

    private static boolean ready(int managementPort) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + managementPort + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
            return response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The latest value of every key of a state topic, tombstones as their header event. */
    private static Map<String, String> latest(String bootstrap, String topic) {
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope envelope = EventEnvelope.read(record.value(), record.headers());
                    byte[] value = envelope == null ? new byte[0] : envelope.event();
                    latest.put(record.key(), new String(value, StandardCharsets.UTF_8));
                }
            }
        }
        return latest;
    }

    /** Prints per user what differs; true when nothing does. */
    private static boolean diff(Map<String, String> live, Map<String, String> rebuilt) {
        TreeSet<String> keys = new TreeSet<>(live.keySet());
        keys.addAll(rebuilt.keySet());
        Map<String, Integer> differing = new TreeMap<>();
        for (String key : keys) {
            if (!Objects.equals(live.get(key), rebuilt.get(key))) {
                differing.merge(Topics.userOfStateKey(key), 1, Integer::sum);
                if (differing.size() <= 20) {
                    System.out.println("  " + key + "\n    live:    " + live.get(key) + "\n    rebuilt: " + rebuilt.get(key));
                }
            }
        }
        long users = keys.stream().map(Topics::userOfStateKey).distinct().count();
        System.out.println("sync-replay: " + keys.size() + " entities of " + users + " users compared; "
                + (differing.isEmpty() ? "the rebuilt state equals the live one"
                : differing.size() + " users differ: " + differing));
        return differing.isEmpty();
    }
}
