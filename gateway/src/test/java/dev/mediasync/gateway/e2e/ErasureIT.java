package dev.mediasync.gateway.e2e;

import static dev.mediasync.gateway.e2e.Device.text;
import static dev.mediasync.gateway.e2e.Device.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.privacy.SealedOps;
import dev.mediasync.pubnub.FakePubNub;
import dev.mediasync.topics.KeysTopicPartitioner;
import dev.mediasync.topics.Topics;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Erasing a user end to end, on a real broker: sealed ops in the log, the erase over REST, the user's
 * devices closed, their PubNub tokens revoked, their state and keys tombstoned, their later ops refused, the
 * other user untouched.
 */
@TestKafka(partitions = 12, broker = {"log.cleaner.backoff.ms=500", "log.retention.check.interval.ms=500",
        "log.segment.delete.delay.ms=0"})
class ErasureIT {

    private static TestBroker kafka;
    private static Platform platform;
    private static int gateway;
    private static FakePubNub pubnub;

    @BeforeAll
    static void start(TestBroker broker) {
        kafka = broker;
        // what an erase deletes is gone from every topic within seconds here, within an hour by default
        platform = new Platform(broker.bootstrapServers(), "--sync.processor.compaction-lag=1s",
                "--sync.processor.removal-retention=1s", "--sync.processor.live-retention=2s");
        pubnub = FakePubNub.withAccessManager();
        gateway = platform.startGateway("--sync.pubnub.subscribe-key=sub-key", "--sync.pubnub.secret-key=sec-key",
                "--sync.pubnub.origin=" + pubnub.origin(), "--sync.pubnub.secure=false");
    }

    @AfterAll
    static void stop() {
        platform.close();
        pubnub.close();
    }

    private static String add(String opId, String content) {
        return "{\"type\":\"watchlist_update\",\"op_id\":\"" + opId + "\",\"operation\":\"add\",\"content_id\":\""
                + content + "\"}";
    }

    private static String progress(String opId, String content) {
        return "{\"type\":\"progress_update\",\"op_id\":\"" + opId + "\",\"content_id\":\"" + content
                + "\",\"position_seconds\":42,\"duration_seconds\":8217,\"state\":\"paused\"}";
    }

    private static HttpResponse<String> delete(String path, String bearer) {
        return Platform.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway + path))
                .header("Authorization", "Bearer " + bearer).DELETE().build());
    }

    @Test
    void anErasedUsersOpsAreSealedTheirStateAndKeysTombstonedTheirDevicesClosedAndTheOtherUserUntouched()
            throws Exception {
        String secretTitle = "tmdb:erase-me-4711";
        String secretDevice = "tv-erase-me-0815";
        try (Device erased = Device.connect(gateway, "eve", secretDevice);
             Device sibling = Device.connect(gateway, "eve", "phone-erase-me-0816");
             Device bystander = Device.connect(gateway, "bob", "tv")) {
            erased.send(add("a1", secretTitle));
            erased.send(progress("p1", secretTitle));
            bystander.send(add("b1", "tmdb:13"));
            sibling.await(m -> type(m, "progress_state") && "p1".equals(text(m, "op_id")));
            bystander.awaitAck("b1");

            HttpResponse<String> pubnubToken = Platform.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + gateway + "/api/v1/pubnub/token")).header("Authorization", "Bearer "
                    + Device.token(gateway, "eve", secretDevice)).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(pubnubToken.statusCode()).as(pubnubToken.body()).isEqualTo(200);
            String granted = tools.jackson.databind.json.JsonMapper.builder().build().readTree(pubnubToken.body())
                    .get("token").stringValue();
            String token = Device.token(gateway, "eve", "api");
            assertThat(delete("/api/v1/users/me", token).statusCode()).as("no confirmation").isEqualTo(400);
            assertThat(delete("/api/v1/admin/users/eve", token).statusCode()).as("a user's token").isEqualTo(401);
            HttpResponse<String> accepted = delete("/api/v1/users/me?confirm=eve", token);
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.body()).contains("\"status\":\"erasing\"");

            erased.await(m -> type(m, "user_erased"));
            Awaitility.await().atMost(Device.WAIT).until(() -> erased.closedWith() != null && sibling.closedWith() != null);
            assertThat(erased.closedWith()).isEqualTo(4410);
            Awaitility.await().atMost(Device.WAIT).until(() -> pubnub.revoked().contains(granted));
            assertThat(sibling.closedWith()).isEqualTo(4410);

            String snapshot = Platform.send(HttpRequest.newBuilder(URI.create(platform.processorUrl()
                    + "/internal/v1/snapshot?user_id=eve")).header("Authorization", "Bearer " + Platform.QUERY_TOKEN)
                    .build()).body();
            tools.jackson.databind.JsonNode shown = tools.jackson.databind.json.JsonMapper.builder().build().readTree(snapshot);
            for (String part : List.of("watchlist", "progress", "devices")) {
                assertThat(shown.path(part).size()).as(part + " of " + snapshot).isZero();
            }

            // a device that writes on after the erase is refused, and nothing of it is kept
            try (Device late = Device.connect(gateway, "eve", "late-tablet")) {
                late.send(add("x1", "tmdb:1"));
                late.awaitError("user_erased");
            }

            bystander.send(add("b2", "tmdb:14"));
            bystander.await(m -> type(m, "watchlist_state") && "tmdb:14".equals(text(m, "content_id")));
            assertThat(bystander.closedWith()).isNull();
        }

        Map<String, List<ConsumerRecord<String, byte[]>>> topics = readAll(List.of(Topics.OPS, Topics.KEYS,
                Topics.STATE, Topics.OPS_DEAD_LETTER));
        List<ConsumerRecord<String, byte[]>> evesOps = topics.get(Topics.OPS).stream()
                .filter(r -> "eve".equals(r.key())).toList();
        assertThat(evesOps).as("eve's ops: writes, presence, the erase").hasSizeGreaterThan(5);
        assertThat(evesOps).filteredOn(r -> !SealedOps.isSealed(r.value()))
                .as("only the erase is unsealed, and it names no title or device")
                .singleElement().satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"user_erase\"")
                        .doesNotContain(secretTitle, secretDevice));
        assertThat(topics.get(Topics.OPS)).allSatisfy(r -> assertThat(readable(r)).doesNotContain(secretTitle, secretDevice));
        assertThat(topics.get(Topics.OPS_DEAD_LETTER)).allSatisfy(r -> assertThat(readable(r)).doesNotContain(secretTitle));

        Map<String, byte[]> keys = latest(topics.get(Topics.KEYS));
        assertThat(keys.keySet()).anyMatch(k -> Topics.userOfKeyRecord(k).equals("eve"));
        keys.forEach((key, value) -> {
            if (Topics.userOfKeyRecord(key).equals("eve")) {
                assertThat(value).as("eve's data key " + key + " destroyed").isNull();
            }
        });
        assertThat(keys).as("bob's key lives").anySatisfy((key, value) -> {
            assertThat(Topics.userOfKeyRecord(key)).isEqualTo("bob");
            assertThat(value).isNotNull();
        });

        Map<String, byte[]> state = latest(topics.get(Topics.STATE));
        assertThat(state).containsKeys("eve|watchlist|" + secretTitle, "eve|progress|" + secretTitle,
                "eve|device|" + secretDevice, "eve|account|erased");
        state.forEach((key, value) -> {
            if (key.startsWith("eve|") && !key.equals("eve|account|erased")) {
                assertThat(value).as(key + " tombstoned").isNull();
            }
        });
        assertThat(new String(state.get("eve|account|erased"), StandardCharsets.UTF_8)).contains("\"user_erased\"");
        assertThat(state.get("bob|watchlist|tmdb:13")).isNotNull();

        // Then compaction and retention take what is left: old values, tombstones (their keys name the
        // titles and devices), changelogs and deliveries. A neighbour on eve's partition keeps writing, as
        // real users do (Kafka rolls a segment only on a write), until no topic holds anything of eve's.
        assertThat(topicsHolding(secretTitle, secretDevice)).as("right after the erase, before compaction")
                .contains(Topics.STATE, Topics.DELIVERIES);
        String neighbour = neighbourOf("eve");
        String neighbourToken = Device.token(gateway, neighbour, "api");
        AtomicInteger writes = new AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            try (Device tv = Device.connect(gateway, neighbour, "tv")) { // connect and close: presence writes too
                tv.send(add("n" + writes.incrementAndGet(), "tmdb:" + writes.get()));
                tv.awaitAck("n" + writes.get());
            }
            assertThat(topicsHolding(secretTitle, secretDevice)).as("topics still holding eve's title or device id")
                    .isEmpty();
        });
        assertThat(Platform.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway
                + "/api/v1/sync/watchlist")).header("Authorization", "Bearer " + neighbourToken).build()).body())
                .contains("tmdb:1");
    }

    /** A user whose records share eve's partitions (state, changelogs), found by trying names. */
    private static String neighbourOf(String user) {
        int partition = KeysTopicPartitioner.partitionOf(user, 12);
        for (int i = 0; ; i++) {
            if (KeysTopicPartitioner.partitionOf("neighbour-" + i, 12) == partition) {
                return "neighbour-" + i;
            }
        }
    }

    /** The topics (every one on the broker but Kafka's own) with a record whose key, value or header holds one of these. */
    private static java.util.Set<String> topicsHolding(String... secrets) throws Exception {
        java.util.Set<String> holding = new java.util.TreeSet<>();
        readAll(allTopics()).forEach((topic, records) -> records.stream().map(ErasureIT::readable)
                .filter(text -> java.util.Arrays.stream(secrets).anyMatch(text::contains))
                .forEach(text -> holding.add(topic)));
        return holding;
    }

    private static List<String> allTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listTopics().names().get().stream().filter(name -> !name.startsWith("__")).sorted().toList();
        }
    }

    /** Everything a reader of the record can see: key, value and headers, as text. */
    private static String readable(ConsumerRecord<String, byte[]> record) {
        StringBuilder text = new StringBuilder(String.valueOf(record.key()));
        if (record.value() != null) {
            text.append(new String(record.value(), StandardCharsets.UTF_8));
        }
        for (Header header : record.headers()) {
            text.append(new String(header.value(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static Map<String, byte[]> latest(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, byte[]> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private static Map<String, List<ConsumerRecord<String, byte[]>>> readAll(List<String> topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, List<ConsumerRecord<String, byte[]>>> all = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                all.put(topic, new ArrayList<>());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> all.get(r.topic()).add(r));
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return all;
    }
}
