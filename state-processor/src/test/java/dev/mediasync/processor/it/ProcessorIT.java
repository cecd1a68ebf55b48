package dev.mediasync.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mediasync.clock.Hlc;
import dev.mediasync.contract.ContractSchemas;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.QueryApi;
import dev.mediasync.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor application against a real (in-process, KRaft) broker: ops in, state out, snapshots
 * from the query API, restarts with kept and wiped stores, and two instances sharing the partitions.
 */
@TestKafka(partitions = 12)
class ProcessorIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final MessageCodec codec = new MessageCodec();
    private final List<ProcessorInstance> instances = new ArrayList<>();
    private String brokers;
    private String applicationId;
    private KafkaProducer<String, byte[]> producer;
    private long now;

    @BeforeEach
    void connect(TestBroker broker, TestInfo test) {
        applicationId = "it-" + test.getTestMethod().orElseThrow().getName();
        brokers = broker.bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(), new ByteArraySerializer());
        now = System.currentTimeMillis();
    }

    @AfterEach
    void stop() {
        instances.forEach(ProcessorInstance::close);
        producer.close();
    }

    private ProcessorInstance start(Path stateDir, String... extraArgs) {
        ProcessorInstance instance = new ProcessorInstance(brokers, stateDir, applicationId, extraArgs);
        instances.add(instance);
        return instance;
    }

    private void send(String user, String device, OpBody body) {
        now++;
        producer.send(new ProducerRecord<>(Topics.OPS, user,
                codec.encodeOp(new Op(user, device, Hlc.of(now, 0), now, body))));
    }

    /** Each user: a connected TV, two titles added and one removed, progress on one. */
    private void writeHistory(String user) {
        send(user, "tv-1", new DevicePresence(PresenceEvent.CONNECT, "s-" + user));
        send(user, "tv-1", new WatchlistUpdate("a1", WatchlistOperation.ADD, "tmdb:550", null));
        send(user, "phone", new WatchlistUpdate("a2", WatchlistOperation.ADD, "tmdb:603", null));
        send(user, "phone", new WatchlistUpdate("r1", WatchlistOperation.REMOVE, "tmdb:603", null));
        send(user, "phone", new ProgressUpdate("p1", "tmdb:550", new PlaybackPosition(3245, 8217, PlaybackState.PAUSED)));
        producer.flush();
    }

    /** The history plus a resend, a registration, a progress remove and rewrite, a handoff and a device remove. */
    private void writeEveryOpKind(String user) {
        writeHistory(user);
        ProgressUpdate watched = new ProgressUpdate("p1", "tmdb:550", new PlaybackPosition(3245, 8217,
                PlaybackState.PAUSED));
        send(user, "phone", new DevicePresence(PresenceEvent.CONNECT, "p-" + user));
        send(user, "phone", new DeviceRegister("g1", "Phone", Platform.PHONE, List.of("playback")));
        send(user, "phone", watched); // a resend: applied once
        send(user, "phone", new dev.mediasync.protocol.ProgressRemove("x1", "tmdb:550"));
        send(user, "phone", new ProgressUpdate("p2", "tmdb:550", new PlaybackPosition(100, 8217,
                PlaybackState.PLAYING)));
        send(user, "phone", new dev.mediasync.protocol.DeviceHandoff("h1", "tv-1", "tmdb:550"));
        send(user, "tablet", new DevicePresence(PresenceEvent.CONNECT, "t-" + user));
        send(user, "tablet", new DevicePresence(PresenceEvent.DISCONNECT, "t-" + user));
        send(user, "phone", new dev.mediasync.protocol.DeviceRemove("d1", "tablet"));
        producer.flush();
    }

    private static void assertHistoryApplied(Snapshot snapshot) {
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.watchlist()).extracting(WatchlistItem::contentId).containsExactly("tmdb:550");
        assertThat(snapshot.progress()).extracting(ProgressState::opId).containsExactly("p1");
        assertThat(snapshot.devices()).singleElement().satisfies(d -> assertThat(d.online()).isTrue());
    }

    @Test
    void appliesOpsEmitsStateAndAnswersSnapshots(@TempDir Path stateDir) {
        ProcessorInstance processor = start(stateDir);
        await().atMost(WAIT).until(processor::isReady);

        writeHistory("alice");
        writeHistory("bob");

        Map<String, UserEvent> latest = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = stateConsumer()) {
            await().atMost(WAIT).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), eventOf(record));
                }
                assertThat(latest).containsKeys("alice|watchlist|tmdb:550", "alice|watchlist|tmdb:603",
                        "alice|progress|tmdb:550", "alice|device|tv-1", "bob|progress|tmdb:550");
                assertThat(((ProgressState) latest.get("bob|progress|tmdb:550").event()).opId()).isEqualTo("p1");
            });
        }
        assertThat(latest.get("alice|watchlist|tmdb:603").userId()).isEqualTo("alice");

        assertHistoryApplied(processor.snapshot("alice"));
        assertHistoryApplied(processor.snapshot("bob"));
        Snapshot nobody = processor.snapshot("carol");
        assertThat(nobody.watchlist()).isEmpty();
        assertThat(nobody.devices()).isEmpty();
        assertThat(processor.management("/actuator/health/readiness").body()).contains("\"UP\"");
        assertThat(processor.management("/actuator/prometheus").body()).contains("sync_processor_ops_applied_total");
    }

    @Test
    void restartsToTheSameStateWithItsStoresKeptOrWiped(@TempDir Path stateDir) throws Exception {
        ProcessorInstance first = start(stateDir);
        await().atMost(WAIT).until(first::isReady);
        writeHistory("alice");
        await().atMost(WAIT).untilAsserted(() -> assertHistoryApplied(first.snapshot("alice")));
        Snapshot before = first.snapshot("alice");
        first.close();
        instances.remove(first);

        ProcessorInstance kept = start(stateDir);
        await().atMost(WAIT).until(kept::isReady);
        // a restarted instance knows no event version until it applies an op
        assertThat(kept.snapshot("alice")).usingRecursiveComparison().ignoringFields("version").isEqualTo(before);
        kept.close();
        instances.remove(kept);

        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(stateDir)).forEach(p -> p.toFile().delete());
        }
        ProcessorInstance wiped = start(stateDir);
        await().atMost(WAIT).until(wiped::isReady);
        assertThat(wiped.snapshot("alice")).usingRecursiveComparison().ignoringFields("version").isEqualTo(before);
    }

    @Test
    void twoInstancesSplitThePartitionsAndEitherAnswersForEveryUser(@TempDir Path dirA, @TempDir Path dirB) {
        ProcessorInstance a = start(dirA);
        ProcessorInstance b = start(dirB);
        await().atMost(WAIT).until(() -> a.isReady() && b.isReady()
                && a.activePartitions() > 0 && b.activePartitions() > 0
                && a.activePartitions() + b.activePartitions() == 12);

        List<String> users = IntStream.range(0, 24).mapToObj(i -> "user-" + i).toList();
        users.forEach(this::writeHistory);

        await().atMost(WAIT).untilAsserted(() -> {
            for (String user : users) {
                assertHistoryApplied(a.snapshot(user));
                assertHistoryApplied(b.snapshot(user));
                assertThat(a.snapshot(user)).isEqualTo(b.snapshot(user));
            }
        });

        // the batch query: either instance answers all of them in one request, forwarding what the other owns;
        // a bad user id in the middle gets its own error line and nobody else's answer fails with it
        List<String> asked = new ArrayList<>(users);
        asked.add(12, "");
        for (ProcessorInstance instance : List.of(a, b)) {
            var answers = instance.snapshots(asked);
            assertThat(answers).hasSize(asked.size());
            assertThat(answers.get(12).getKey()).isInstanceOfSatisfying(ErrorMessage.class,
                    error -> assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST));
            assertThat(answers.get(12).getValue()).isEqualTo(QueryApi.NOT_A_SNAPSHOT);
            for (int i = 0; i < asked.size(); i++) {
                if (i != 12) {
                    Snapshot single = instance.snapshot(asked.get(i));
                    assertThat(answers.get(i).getKey()).as(asked.get(i)).isEqualTo(single);
                    assertThat(answers.get(i).getValue()).isEqualTo(single.version());
                }
            }
        }
    }

    @Test
    void aCleanlyStoppedInstanceHandsItsPartitionsOverAtOnceAndQueriesNeverFailWithAServerError(
            @TempDir Path dirA, @TempDir Path dirB) {
        // a session timeout far beyond the wait below: only leaving the group can move the partitions in time
        ProcessorInstance a = start(dirA, "--sync.processor.session-timeout=60s");
        ProcessorInstance b = start(dirB, "--sync.processor.session-timeout=60s");
        await().atMost(WAIT).until(() -> a.isReady() && b.isReady()
                && a.activePartitions() > 0 && a.activePartitions() + b.activePartitions() == 12);
        List<String> users = IntStream.range(0, 24).mapToObj(i -> "user-" + i).toList();
        users.forEach(this::writeHistory);
        await().atMost(WAIT).untilAsserted(() -> users.forEach(user -> assertHistoryApplied(b.snapshot(user))));

        a.close();
        instances.remove(a);

        List<Integer> statuses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (String user : users) {
                var response = b.get("/internal/v1/snapshot?user_id=" + user);
                statuses.add(response.statusCode());
                if (response.statusCode() == 503) {
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                }
            }
            assertThat(b.activePartitions()).isEqualTo(12);
            users.forEach(user -> assertHistoryApplied(b.snapshot(user)));
        });
        assertThat(statuses).as("answers while the partitions moved").containsOnly(200, 503);
    }

    @Test
    void twentyThousandAddsOfOneTitleFromFiftyDevicesLeaveABoundedEntityAndOthersUnhurt(@TempDir Path stateDir) {
        ProcessorInstance processor = start(stateDir);
        await().atMost(WAIT).until(processor::isReady); // its topics created: no write races their creation
        for (int i = 0; i < 20_000; i++) {
            send("heavy", "device-" + i % 50, new WatchlistUpdate("a" + i, WatchlistOperation.ADD, "tmdb:550", null));
        }
        writeHistory("light");

        await().atMost(WAIT).untilAsserted(() -> assertHistoryApplied(processor.snapshot("light")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(processor.snapshot("heavy").watchlist()).singleElement()
                .satisfies(title -> assertThat(title.tags()).hasSize(16)));
        assertThat(processor.get("/internal/v1/snapshot?user_id=heavy").body().length())
                .as("the heavy user's whole snapshot, bytes").isLessThan(2_000);
    }

    @Test
    void anUnreadableStoredEntityDeadLettersItsOpsAcrossARestartAndTheStreamKeepsRunning(@TempDir Path stateDir)
            throws Exception {
        ProcessorInstance processor = start(stateDir);
        await().atMost(WAIT).until(processor::isReady); // its topics created: no write races their creation
        writeHistory("poisoned");
        await().atMost(WAIT).untilAsserted(() -> assertHistoryApplied(processor.snapshot("poisoned")));
        processor.close();
        instances.remove(processor);
        // corrupt the store through its changelog, then restore it from there with the local copy wiped
        producer.send(new ProducerRecord<>(applicationId + "-sync-entities-changelog",
                partitionOf("poisoned"), "poisoned|progress|tmdb:550", "{\"type\":\"garbage\"}".getBytes())).get();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }

        ProcessorInstance restarted = start(stateDir);
        send("poisoned", "phone", new ProgressUpdate("p2", "tmdb:550", new PlaybackPosition(10, 8217, PlaybackState.PAUSED)));
        writeHistory("bystander");
        producer.flush();

        await().atMost(WAIT).untilAsserted(() -> assertHistoryApplied(restarted.snapshot("bystander")));
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.OPS_DEAD_LETTER)) {
            await().atMost(WAIT).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).anySatisfy(record -> assertThat(
                        new String(record.headers().lastHeader("sync.error.code").value())).isEqualTo("internal"));
            });
        }
        assertThat(restarted.isReady()).isTrue();
    }

    @Test
    void anOpWhoseResultTheBrokerRefusesAsTooLargeIsDeadLetteredAndTheNextUsersOpApplied(@TempDir Path stateDir) {
        // a small request size stands in for the broker's limit: a full registration's state exceeds it
        ProcessorInstance processor = start(stateDir, "--sync.processor.streams.[producer.max.request.size]=700");
        await().atMost(WAIT).until(processor::isReady); // its topics created: no write races their creation
        List<String> capabilities = IntStream.range(0, 32).mapToObj(i -> "capability-number-" + i).toList();
        send("oversized", "tv-1", new DeviceRegister(null, "x".repeat(100), Platform.TV, capabilities));
        writeHistory("after-oversized");

        await().atMost(WAIT).untilAsserted(() -> assertHistoryApplied(processor.snapshot("after-oversized")));
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.OPS_DEAD_LETTER)) {
            await().atMost(WAIT).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).anySatisfy(record -> {
                    assertThat(record.key()).isEqualTo("oversized|device|tv-1");
                    assertThat(new String(record.headers().lastHeader("sync.error.code").value()))
                            .isEqualTo("limit_exceeded");
                    assertThat(new String(record.headers().lastHeader("sync.refused.topic").value()))
                            .isEqualTo(Topics.STATE);
                    assertThat(new String(record.headers().lastHeader("sync.source").value()))
                            .startsWith(Topics.OPS + "-");
                });
            });
        }
        assertThat(processor.isReady()).isTrue();
    }

    @Test
    void refusesToStartWhenTheOpLogHasAnotherPartitionCountThanItsStores(@TempDir Path stateDir) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic("guard.ops.v1", 3, (short) 1))).all().get();

            assertThatThrownBy(() -> new ProcessorInstance(brokers, stateDir, "it-guard",
                    "--sync.processor.topics.ops=guard.ops.v1", "--sync.processor.topics.state=guard.state.v1",
                    "--sync.processor.topics.commands=guard.commands.v1",
                    "--sync.processor.topics.dead-letter=guard.dlq.v1"))
                    .rootCause().hasMessageContaining("sync.processor.partitions is 12 but guard.ops.v1 has 3 partitions")
                    .hasMessageContaining("Changing the partition count");
            // nothing was created or grown: KafkaAdmin never ran
            assertThat(admin.describeTopics(List.of("guard.ops.v1")).allTopicNames().get().get("guard.ops.v1")
                    .partitions()).hasSize(3);
            assertThat(admin.listTopics().names().get()).doesNotContain("guard.state.v1");
        }
    }

    @Test
    void theQueryApiAnswersOnlyCallersWithTheToken(@TempDir Path stateDir) {
        ProcessorInstance processor = start(stateDir);
        await().atMost(WAIT).until(processor::isReady);

        assertThat(processor.getWithoutToken("/internal/v1/snapshot?user_id=nobody").statusCode()).isEqualTo(401);
        assertThat(processor.get("/internal/v1/snapshot?user_id=nobody").statusCode()).isEqualTo(200);
        assertThat(processor.getWithoutToken("/actuator/health").statusCode())
                .as("the actuator is on its own port").isEqualTo(404);
    }

    /** The event a state record carries (its value, or for a tombstone its header), held against the schema. */
    private UserEvent eventOf(ConsumerRecord<String, byte[]> record) {
        byte[] json = record.value() != null ? record.value() : record.headers().lastHeader(Topics.HEADER_EVENT).value();
        ContractSchemas.assertConforms(record.value() != null ? "StateRecord" : "StateTombstoneEvent",
                new String(json, java.nio.charset.StandardCharsets.UTF_8));
        return codec.decodeEvent(json);
    }

    /** The latest record of each key of these users, as a consumer that upserts by key holds them. */
    private Map<String, String> latestOf(KafkaConsumer<String, byte[]> consumer, Map<String, String> latest,
                                         List<String> users) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (users.contains(Topics.userOfStateKey(record.key()))) {
                latest.put(record.key(), (record.value() == null ? "tombstone " : "")
                        + new String(codec.encodeEvent(eventOf(record)), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return latest;
    }

    @Test
    void aReplayIntoTopicsOfItsOwnRebuildsTheSameStateKeyByKeyPresenceTimeoutsIncluded(@TempDir Path live,
                                                                                    @TempDir Path replayed) {
        ProcessorInstance processor = start(live, "--sync.processor.presence-timeout=2s",
                "--sync.processor.presence-check-interval=200ms");
        await().atMost(WAIT).until(processor::isReady);
        List<String> users = List.of("replay-a", "replay-b", "replay-c");
        users.forEach(this::writeEveryOpKind);
        // every device falls silent: the live processor takes each offline through a timeout op in the log
        await().atMost(WAIT).untilAsserted(() -> users.forEach(user ->
                assertThat(processor.snapshot(user).devices()).hasSize(2)
                        .allSatisfy(device -> assertThat(device.online()).isFalse())));

        start(replayed, "--sync.processor.application-id=" + applicationId + "-replay",
                "--sync.processor.presence-sweep=false", "--sync.processor.topics.state=sync.state.replay.v1",
                "--sync.processor.topics.commands=sync.commands.replay.v1",
                "--sync.processor.topics.dead-letter=sync.ops.dlq.replay.v1");

        Map<String, String> original = new ConcurrentHashMap<>();
        Map<String, String> rebuilt = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> liveState = consumer(Topics.STATE);
             KafkaConsumer<String, byte[]> replayState = consumer("sync.state.replay.v1")) {
            await().atMost(WAIT).untilAsserted(() -> {
                latestOf(liveState, original, users);
                latestOf(replayState, rebuilt, users);
                // two titles (one a tombstone), progress, tv-1, phone, the forgotten tablet (a tombstone)
                assertThat(original).hasSize(users.size() * 6);
                assertThat(rebuilt).isEqualTo(original);
            });
        }
        assertThat(original.get("replay-a|watchlist|tmdb:603")).startsWith("tombstone ");
        // the op log, the processor's own timeouts included, is what the contract says it is
        try (KafkaConsumer<String, byte[]> ops = consumer(Topics.OPS)) {
            // each device is timed out at least once; under load a device whose own late ops were still being
            // applied comes back online and is timed out again, so the count is not fixed. The tablet is online
            // only between two ops: when the processor reaches them late (a slow start), the sweep may time it
            // out in between, so it may be there too, and nothing else may
            java.util.Set<String> timeouts = new java.util.HashSet<>();
            await().atMost(WAIT).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : ops.poll(Duration.ofMillis(200))) {
                    if (!users.contains(record.key())) {
                        continue; // other tests put malformed records here on purpose
                    }
                    String json = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                    ContractSchemas.assertConforms("OpRecord", json);
                    if (json.contains("\"event\":\"timeout\"")) {
                        timeouts.add(record.key() + "/" + codec.decodeOp(record.value()).deviceId());
                    }
                }
                assertThat(timeouts).as("tv-1 and phone of each user, perhaps the tablet")
                        .containsAll(devicesOf(users, "tv-1", "phone"))
                        .isSubsetOf(devicesOf(users, "tv-1", "phone", "tablet"));
            });
        }
    }

    /** {@code user/device} for each of these devices of each user. */
    private static List<String> devicesOf(List<String> users, String... devices) {
        return users.stream().flatMap(user -> java.util.Arrays.stream(devices).map(device -> user + "/" + device)).toList();
    }

    private static int partitionOf(String user) {
        return dev.mediasync.processor.topology.UserPartitioner.partitionOf(user, 12);
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + now,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }


    private KafkaConsumer<String, byte[]> stateConsumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-state-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.STATE));
        return consumer;
    }
}
