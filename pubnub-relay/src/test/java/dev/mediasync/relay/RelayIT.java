package dev.mediasync.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.contract.ContractSchemas;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.Op;
import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.Platform;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.pubnub.FakePubNub;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.UserErased;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.PubNubChannels;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import com.pubnub.api.crypto.CryptoModule;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The relay with the real PubNub SDK against a local stand-in for PubNub's publish API, reading from a
 * real KRaft broker: channels, payloads, order, retries, the breaker, dead letters, restarts, encryption.
 */
@TestKafka(partitions = RelayIT.PARTITIONS, topics = {Topics.STATE, Topics.COMMANDS, Topics.OPS})
class RelayIT {

    static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MessageCodec codec = new MessageCodec();
    private final List<ConfigurableApplicationContext> relays = new ArrayList<>();
    private FakePubNub pubnub;
    private String brokers;
    private String group;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void start(TestBroker broker) {
        pubnub = new FakePubNub();
        brokers = broker.bootstrapServers();
        group = "relay-" + UUID.randomUUID();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        relays.forEach(ConfigurableApplicationContext::close);
        producer.close();
        pubnub.close();
    }

    private ConfigurableApplicationContext startRelay(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.kafka.consumer.group-id=" + group,
                "--spring.kafka.consumer.auto-offset-reset=earliest",
                "--sync.relay.publish-key=pub-key", "--sync.relay.subscribe-key=sub-key",
                "--sync.relay.origin=" + pubnub.origin(), "--sync.relay.secure=false",
                "--sync.relay.request-timeout=1s", "--sync.relay.retry-backoff=20ms",
                "--sync.relay.breaker-open-for=1s"));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext relay = RelayApplication.application().run(args.toArray(String[]::new));
        relays.add(relay);
        return relay;
    }

    /** As the processor writes state: on the partition of the user, so one user's events keep their order. */
    private void sendState(String user, Topics.Kind kind, String entity, ServerMessage event) {
        int partition = BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), PARTITIONS);
        producer.send(new ProducerRecord<>(Topics.STATE, partition, Topics.stateKey(user, kind, entity),
                codec.encodeEvent(UserEvent.toAll(user, event))));
    }

    private static WatchlistState watchlist(String content, long ms) {
        return new WatchlistState(content, true, List.of("tv-1/" + ms), Hlc.of(ms, 0));
    }

    private List<FakePubNub.Published> publishedTo(String channel) {
        return pubnub.published().stream().filter(p -> p.channel().equals(channel)).toList();
    }

    @Test
    void publishesEachEventToItsChannelWithItsPayloadInOrder() {
        startRelay();
        for (int i = 1; i <= 20; i++) {
            sendState("alice", Topics.Kind.WATCHLIST, "tmdb:" + i, watchlist("tmdb:" + i, i));
        }
        DeviceState tv = new DeviceState("tv-1", "TV", Platform.TV, List.of(), true, 5, Hlc.of(5, 0));
        sendState("alice", Topics.Kind.DEVICE, "tv-1", tv);
        // a user id PubNub would refuse in a channel name gets its hashed segment
        sendState("auth0|alice.b", Topics.Kind.WATCHLIST, "tmdb:1", watchlist("tmdb:1", 1));
        // a command past its expires_at (a lagging relay, a replay) is not published; a live one is
        producer.send(new ProducerRecord<>(Topics.COMMANDS, "alice", codec.encodeEvent(new UserEvent("alice", "tv-1",
                new DeviceCommand("phone/c0", "phone", CommandType.PLAY, null, null, 99)))));
        producer.send(new ProducerRecord<>(Topics.COMMANDS, "alice", codec.encodeEvent(new UserEvent("alice", "tv-1",
                new DeviceCommand("phone/c1", "phone", CommandType.PAUSE, null, null,
                        System.currentTimeMillis() + 60_000)))));
        producer.send(new ProducerRecord<>("sync.announcements.v1", "ops",
                "{\"region\":\"eu\",\"message\":{\"text\":\"maintenance at 02:00\"}}".getBytes(StandardCharsets.UTF_8)));
        String trending = "{\"type\":\"trending\",\"list\":\"most_added\",\"window_start\":0,\"window_end\":3600000,"
                + "\"generated_at\":3600001,\"titles\":[{\"content_id\":\"tmdb:1\",\"count\":3}]}";
        producer.send(new ProducerRecord<>(Topics.TRENDING, "most_added", trending.getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(publishedTo("user.alice.sync")).hasSize(20);
            assertThat(publishedTo("user.alice.devices")).hasSize(1);
            assertThat(publishedTo("user.alice.notifications")).hasSize(1);
            assertThat(publishedTo("region.eu.updates")).hasSize(1);
            assertThat(publishedTo(PubNubChannels.sync("auth0|alice.b"))).hasSize(1);
            assertThat(publishedTo(PubNubChannels.GLOBAL_TRENDING)).hasSize(1);
        });
        assertThat(publishedTo(PubNubChannels.GLOBAL_TRENDING).get(0).message()).isEqualTo(trending);
        assertThat(publishedTo("user.alice.sync")).extracting(p -> codec.decodeEvent(
                p.message().getBytes(StandardCharsets.UTF_8)).event()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 20).mapToObj(i -> (ServerMessage) watchlist("tmdb:" + i, i)).toList());
        FakePubNub.Published command = publishedTo("user.alice.notifications").get(0);
        assertThat(command.message()).contains("\"target_device_id\":\"tv-1\"", "\"command\":\"pause\"");
        assertThat(command.store()).isEqualTo("1");
        assertThat(command.publishKey()).isEqualTo("pub-key");
        assertThat(publishedTo("region.eu.updates").get(0).message()).isEqualTo("{\"text\":\"maintenance at 02:00\"}");
    }

    @Test
    void withAccessManagerOnTheRelaySignsWithTheSecretKeyAndPublishes() {
        pubnub.close();
        pubnub = FakePubNub.withAccessManager();
        startRelay("--sync.relay.secret-key=sec-key");

        sendState("alice", Topics.Kind.WATCHLIST, "tmdb:1", watchlist("tmdb:1", 1));
        producer.flush();

        await().atMost(WAIT).untilAsserted(() -> assertThat(publishedTo("user.alice.sync")).hasSize(1));
    }

    @Test
    void anErasedUsersLastMessageIsUserErasedAndThenTheHistoryOfEachOfTheirChannelsIsDeleted() {
        pubnub.close();
        pubnub = FakePubNub.withAccessManager();
        startRelay("--sync.relay.secret-key=sec-key");
        sendState("eve", Topics.Kind.WATCHLIST, "tmdb:1", watchlist("tmdb:1", 1));
        sendState("bob", Topics.Kind.WATCHLIST, "tmdb:2", watchlist("tmdb:2", 2));
        producer.flush();
        await().atMost(WAIT).untilAsserted(() -> assertThat(publishedTo("user.eve.sync")).hasSize(1));

        sendState("eve", Topics.Kind.ACCOUNT, "erased", new UserErased(Hlc.of(3, 0)));
        producer.flush();

        await().atMost(WAIT).untilAsserted(() -> assertThat(pubnub.historyDeleted())
                .containsExactly("user.eve.sync", "user.eve.devices", "user.eve.notifications"));
        assertThat(publishedTo("user.eve.sync")).as("nothing of eve stored any more").isEmpty();
        assertThat(publishedTo("user.bob.sync")).hasSize(1);
    }

    @Test
    void devicesPresentOnPubNubGoIntoTheOpLogAsPresenceOps() {
        startRelay("--sync.relay.presence-interval=200ms");
        List<String> ops = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "ops-" + group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OPS));
            Runnable read = () -> consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                if (dev.mediasync.privacy.SealedOps.isSealed(record.value())) {
                    return; // another test's relay, with a key-encryption key, on this broker
                }
                String json = new String(record.value(), StandardCharsets.UTF_8);
                ContractSchemas.assertConforms("OpRecord", json);
                Op op = codec.decodeOp(record.value());
                assertThat(record.key()).isEqualTo(op.userId());
                ops.add(op.userId() + "/" + op.deviceId() + " " + ((DevicePresence) op.body()).event().name().toLowerCase(java.util.Locale.ROOT) + " "
                        + ((DevicePresence) op.body()).sessionId());
            });

            pubnub.join(PubNubChannels.devices("carol"), "carol.tv-1");
            pubnub.join(PubNubChannels.devices("carol"), "mallory.tv-1"); // not carol's device: ignored
            await().atMost(WAIT).untilAsserted(() -> {
                read.run();
                assertThat(ops).contains("carol/tv-1 connect pubnub", "carol/tv-1 heartbeat pubnub");
            });
            pubnub.leave(PubNubChannels.devices("carol"), "carol.tv-1");
            await().atMost(WAIT).untilAsserted(() -> {
                read.run();
                assertThat(ops).contains("carol/tv-1 disconnect pubnub");
            });
            assertThat(ops).noneMatch(op -> op.startsWith("mallory") || op.contains("carol/mallory"));
        }
    }

    @Test
    void withAKeyEncryptionKeyPresenceOpsAreSealedWithAUserKeyWrittenToTheKeysTopicFirst() throws Exception {
        String kek = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            if (!admin.listTopics().names().get().contains(Topics.KEYS)) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(Topics.KEYS, PARTITIONS, (short) 1)))
                        .all().get();
            }
        }
        startRelay("--sync.relay.presence-interval=200ms", "--sync.relay.kek=" + kek);
        pubnub.join(PubNubChannels.devices("dana"), "dana.tv-7");

        var wrapper = dev.mediasync.privacy.AesKeyWrapper.fromBase64(kek);
        Map<String, dev.mediasync.privacy.DataKey> keys = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> ops = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<byte[]> sealed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "sealed-" + group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.KEYS, Topics.OPS));
            await().atMost(WAIT).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    if (record.topic().equals(Topics.KEYS)) {
                        String user = Topics.userOfKeyRecord(record.key());
                        assertThat(record.partition()).as("the key on its user's partition")
                                .isEqualTo(BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), PARTITIONS));
                        keys.put(record.key(), wrapper.unwrap(user, Topics.keyIdOfKeyRecord(record.key()), record.value()));
                    } else if ("dana".equals(record.key())) {
                        assertThat(dev.mediasync.privacy.SealedOps.isSealed(record.value())).isTrue();
                        assertThat(new String(record.value(), StandardCharsets.ISO_8859_1)).doesNotContain("tv-7");
                        sealed.add(record.value());
                    }
                });
                ops.clear(); // a key polled after its op: open them all again with the keys read so far
                for (byte[] value : sealed) {
                    assertThat(keys).containsKey(Topics.keyRecordKey("dana", dev.mediasync.privacy.SealedOps.keyId(value)));
                    Op op = codec.decodeOp(dev.mediasync.privacy.SealedOps.open("dana", value,
                            (user, id) -> keys.get(Topics.keyRecordKey(user, id))));
                    ops.add(op.deviceId() + " " + ((DevicePresence) op.body()).event());
                }
                assertThat(ops).contains("tv-7 CONNECT", "tv-7 HEARTBEAT");
            });
        }
    }

    private String[] leaseSettings(String relayUserId, Duration interval) {
        return new String[] {"--sync.relay.user-id=" + relayUserId, "--sync.relay.presence-interval=" + interval.toMillis() + "ms",
                "--sync.relay.presence-lease-group=" + group + "-lease", "--sync.relay.presence-lease-timeout=6s"};
    }

    @Test
    void oneOfTwoRelaysReadsHereNowAndTheOtherTakesOverWithinOneIntervalWhenItStops() {
        Duration interval = Duration.ofSeconds(4);
        Map<String, ConfigurableApplicationContext> relay = Map.of("relay-a", startRelay(leaseSettings("relay-a", interval)),
                "relay-b", startRelay(leaseSettings("relay-b", interval)));
        await().atMost(WAIT).until(() -> !pubnub.hereNowCallers().isEmpty());
        String holder = pubnub.hereNowCallers().get(0);
        int before = pubnub.hereNowCallers().size();

        long start = System.nanoTime();
        await().atMost(WAIT).until(() -> pubnub.hereNowCallers().size() >= before + 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("3 looks, one per interval: one relay reads")
                .isGreaterThan(interval.multipliedBy(2).minusMillis(500));
        assertThat(pubnub.hereNowCallers()).containsOnly(holder);

        relay.get(holder).close();
        long stopped = System.nanoTime();
        String other = holder.equals("relay-a") ? "relay-b" : "relay-a";
        await().atMost(WAIT).until(() -> pubnub.hereNowCallers().contains(other));
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThanOrEqualTo(interval);
    }

    @Test
    void aRelayThatDiesWithTheLeaseLosesItAfterItsSessionTimeoutToTheOneThatRuns() throws Exception {
        Duration interval = Duration.ofSeconds(8);
        // the relay that will die: a member of the lease's group that leaves no goodbye when it goes (static
        // membership: its close is what a kill -9 is to the group)
        try (KafkaConsumer<String, byte[]> dying = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, group + "-lease",
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "dying-relay", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()),
                new StringDeserializer(), new ByteArrayDeserializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic("sync.relay.presence-lease.v1", 1, (short) 1))).all()
                    .toCompletionStage().exceptionally(e -> null).toCompletableFuture().get(); // as a relay does; or an earlier test
            dying.subscribe(List.of("sync.relay.presence-lease.v1"));
            await().atMost(WAIT).until(() -> {
                dying.poll(Duration.ofMillis(100));
                return !dying.assignment().isEmpty();
            });
            startRelay(leaseSettings("relay-a", interval));
            await().atMost(WAIT).until(() -> {
                dying.poll(Duration.ofMillis(100));
                return admin.describeConsumerGroups(List.of(group + "-lease")).all().get()
                        .get(group + "-lease").members().size() == 2;
            });
            dying.poll(Duration.ofMillis(100));
            assertThat(pubnub.hereNowCallers()).as("the lease is held by the other").isEmpty();

            long killed = System.nanoTime();
            dying.close();
            await().atMost(WAIT).until(() -> pubnub.hereNowCallers().contains("relay-a"));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("session timeout 6 s, interval 8 s")
                    .isBetween(Duration.ofSeconds(4), interval);
        }
    }

    @Test
    void retriesTransientFailuresUntilPubNubTakesTheMessage() {
        startRelay("--sync.relay.store=false");
        pubnub.fail(c -> true, 503, 2);
        pubnub.fail(c -> true, 429, 1);
        pubnub.delay(1_500, 1);

        sendState("bob", Topics.Kind.WATCHLIST, "tmdb:1", watchlist("tmdb:1", 1));
        sendState("bob", Topics.Kind.WATCHLIST, "tmdb:2", watchlist("tmdb:2", 2));
        producer.flush();

        await().atMost(WAIT).untilAsserted(() -> assertThat(publishedTo("user.bob.sync"))
                .extracting(p -> p.message().contains("tmdb:1") ? 1 : 2).containsSubsequence(1, 2).contains(1, 2));
        assertThat(pubnub.requests()).isGreaterThanOrEqualTo(5);
        assertThat(publishedTo("user.bob.sync")).allMatch(p -> "0".equals(p.store()));
    }

    @Test
    void deadLettersWhatPubNubRefusesAndGoesOn() {
        ConfigurableApplicationContext relay = startRelay();
        pubnub.fail(c -> c.equals("user.carol.sync"), 400, 1);

        sendState("carol", Topics.Kind.WATCHLIST, "tmdb:1", watchlist("tmdb:1", 1));
        sendState("carol", Topics.Kind.WATCHLIST, "tmdb:2", new WatchlistState("tmdb:2", true,
                IntStream.range(0, 2_000).mapToObj(i -> "device-with-a-long-name/op-" + i).toList(), Hlc.of(2, 0)));
        sendState("carol", Topics.Kind.WATCHLIST, "tmdb:3", watchlist("tmdb:3", 3));
        producer.flush();

        await().atMost(WAIT).untilAsserted(() -> assertThat(publishedTo("user.carol.sync")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("tmdb:3")));
        List<ConsumerRecord<String, byte[]>> dead = readAll("sync.relay.dlq.v1", 2);
        assertThat(dead).extracting(ConsumerRecord::key)
                .containsExactly("carol|watchlist|tmdb:1", "carol|watchlist|tmdb:2");
        assertThat(new String(dead.get(0).headers().lastHeader("kafka_dlt-exception-message").value(),
                StandardCharsets.UTF_8)).contains("400");
        assertThat(new String(dead.get(1).headers().lastHeader("kafka_dlt-exception-message").value(),
                StandardCharsets.UTF_8)).contains("exceeds PubNub's 32768-byte limit");
        assertThat(relay.getBean(CircuitBreaker.class).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theBreakerOpensWhilePubNubIsDownAndNothingIsLost() {
        ConfigurableApplicationContext relay = startRelay();
        CircuitBreaker breaker = relay.getBean(CircuitBreaker.class);
        // PubNub's request count at each of the breaker's transitions, to count what reached it while open
        List<int[]> openPeriods = new java.util.concurrent.CopyOnWriteArrayList<>();
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openPeriods.add(new int[] {pubnub.requests(), -1});
            } else if (event.getStateTransition().getFromState() == CircuitBreaker.State.OPEN) {
                openPeriods.get(openPeriods.size() - 1)[1] = pubnub.requests();
            }
        });
        pubnub.failAll(500);

        for (int i = 1; i <= 10; i++) {
            sendState("dave", Topics.Kind.WATCHLIST, "tmdb:" + i, watchlist("tmdb:" + i, i));
        }
        producer.flush();
        await().atMost(WAIT).until(() -> !openPeriods.isEmpty() && openPeriods.get(0)[1] >= 0); // open, then not
        int requestsWhileOpen = openPeriods.get(0)[1] - openPeriods.get(0)[0];

        pubnub.heal();

        await().atMost(WAIT).untilAsserted(() -> assertThat(publishedTo("user.dave.sync")
                .stream().map(p -> p.message()).distinct().count()).isEqualTo(10));
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(requestsWhileOpen).as("while open (1 s), nothing reached PubNub").isZero();
        List<String> firstSeen = publishedTo("user.dave.sync").stream().map(FakePubNub.Published::message)
                .distinct().toList();
        assertThat(firstSeen).extracting(m -> m.substring(m.indexOf("tmdb:"), m.indexOf("\"", m.indexOf("tmdb:"))))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(i -> "tmdb:" + i).toList());
    }

    @Test
    void aRelayKilledMidStreamLosesNothingWhenItComesBack() {
        ConfigurableApplicationContext first = startRelay();
        pubnub.delay(200, 1_000);
        for (int i = 1; i <= 60; i++) {
            sendState("erin", Topics.Kind.WATCHLIST, "tmdb:" + i, watchlist("tmdb:" + i, i));
        }
        producer.flush();
        await().atMost(WAIT).until(() -> publishedTo("user.erin.sync").size() >= 3);
        first.close();
        relays.remove(first);
        pubnub.heal();

        startRelay();

        await().atMost(WAIT).untilAsserted(() -> assertThat(publishedTo("user.erin.sync").stream()
                .map(FakePubNub.Published::message).distinct().count()).isEqualTo(60));
    }

    @Test
    void encryptsPayloadsWithTheCipherKey() {
        startRelay("--sync.relay.cipher-key=enigma-0123456789");
        WatchlistState secret = watchlist("tmdb:550", 7);
        sendState("frank", Topics.Kind.WATCHLIST, "tmdb:550", secret);
        producer.flush();

        FakePubNub.Published published = await().atMost(WAIT).until(() -> publishedTo("user.frank.sync"),
                list -> !list.isEmpty()).get(0);

        assertThat(published.message()).doesNotContain("tmdb:550").startsWith("\"").endsWith("\"");
        String base64 = published.message().substring(1, published.message().length() - 1);
        byte[] clear = CryptoModule.createAesCbcCryptoModule("enigma-0123456789", true)
                .decrypt(Base64.getDecoder().decode(base64));
        assertThat(codec.decodeEvent(clear).event()).isEqualTo(secret);
    }

    @Test
    void staysOffWithoutKeys() {
        ConfigurableApplicationContext relay = RelayApplication.application().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + brokers, "--sync.relay.publish-key=",
                "--sync.relay.subscribe-key=");
        relays.add(relay);

        assertThat(relay.getBeansOfType(RelayListener.class)).isEmpty();
        assertThat(relay.getBean(RelayProperties.class).enabled()).isFalse();
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic, int count) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            return records;
        }
    }
}
