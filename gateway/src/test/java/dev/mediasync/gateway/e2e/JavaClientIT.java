package dev.mediasync.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.client.ClientStorage;
import dev.mediasync.client.SyncClient;
import dev.mediasync.client.SyncClient.Kind;
import dev.mediasync.client.SyncError;
import dev.mediasync.client.SyncListener;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Java client ({@code clients/java}) against the real gateway, processor and broker: edits made
 * offline survive a restart of the app and are applied once, a connection dropped in the middle of a
 * burst loses and doubles nothing, commands reach their target once, and a short-lived token is refreshed
 * on the open connection.
 */
@TestKafka(partitions = 12)
class JavaClientIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Platform platform;
    private static int gateway;
    private static final AtomicInteger USERS = new AtomicInteger();

    @BeforeAll
    static void start(TestBroker broker) {
        platform = new Platform(broker.bootstrapServers());
        gateway = platform.startGateway("--sync.security.dev-token-ttl=5s");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** Acks and errors as the app sees them, per op id. */
    private static final class Recorder implements SyncListener {
        final Map<String, AtomicInteger> acks = new ConcurrentHashMap<>();
        final List<SyncError> errors = new CopyOnWriteArrayList<>();
        final List<JsonNode> commands = new CopyOnWriteArrayList<>();
        final AtomicInteger snapshots = new AtomicInteger();

        @Override
        public void onAck(String opId, String timestamp) {
            acks.computeIfAbsent(opId, id -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onError(SyncError error) {
            errors.add(error);
        }

        @Override
        public void onCommand(JsonNode command) {
            commands.add(command);
        }

        @Override
        public void onSnapshot(long version) {
            snapshots.incrementAndGet();
        }
    }

    private static SyncClient client(String user, String device, ClientStorage storage, SyncListener listener) {
        return SyncClient.builder(URI.create("http://localhost:" + gateway), device)
                .tokens(() -> Device.token(gateway, user, device)).refreshBefore(Duration.ofSeconds(3))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500)).storage(storage).listener(listener).build();
    }

    @Test
    void editsMadeOfflineSurviveARestartOfTheAppAndAreAppliedOnce(@TempDir Path data) {
        String user = "java-" + USERS.incrementAndGet();
        List<String> opIds = new ArrayList<>();
        try (SyncClient offline = client(user, "tv", ClientStorage.directory(data), new Recorder())) {
            for (int i = 0; i < 5; i++) { // never connected: the ops wait in the outbox, saved
                offline.addToWatchlist("tmdb:" + i);
            }
            offline.reportProgress("tmdb:550", 600, 8217, "paused");
            assertThat(offline.pending()).isEqualTo(6);
        }
        String outbox = ClientStorage.directory(data).load("outbox");
        JsonNode saved = tools.jackson.databind.json.JsonMapper.builder().build().readTree(outbox);
        saved.path("ops").forEach(op -> opIds.add(op.path("op_id").asString()));
        assertThat(opIds).hasSize(6);

        Recorder restarted = new Recorder();
        try (SyncClient tv = client(user, "tv", ClientStorage.directory(data), restarted).connect();
             SyncClient phone = client(user, "phone", ClientStorage.memory(), new Recorder()).connect()) {
            await().atMost(WAIT).until(() -> tv.pending() == 0);
            await().atMost(WAIT).until(() -> phone.state(Kind.WATCHLIST).size() == 5
                    && phone.state(Kind.PROGRESS).containsKey("tmdb:550"));

            assertThat(restarted.acks).containsOnlyKeys(opIds).allSatisfy((id, count) -> assertThat(count).hasValue(1));
            assertThat(phone.state(Kind.PROGRESS).get("tmdb:550").path("position_seconds").asDouble()).isEqualTo(600);
            assertThat(restarted.errors).isEmpty();
            assertThat(ClientStorage.directory(data).load("outbox")).contains("\"ops\":[]");
        }
    }

    @Test
    void aConnectionDroppedInTheMiddleOfABurstLosesAndDoublesNothing() {
        String user = "java-" + USERS.incrementAndGet();
        Recorder tvApp = new Recorder();
        try (SyncClient tv = client(user, "tv", ClientStorage.memory(), tvApp).connect();
             SyncClient phone = client(user, "phone", ClientStorage.memory(), new Recorder()).connect()) {
            await().atMost(WAIT).until(() -> tvApp.snapshots.get() > 0);
            List<CompletableFuture<SyncClient.Ack>> acks = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                acks.add(tv.addToWatchlist("tmdb:" + i));
                if (i == 20) {
                    tv.reconnectNow();
                }
            }
            await().atMost(WAIT).until(() -> acks.stream().allMatch(CompletableFuture::isDone));
            await().atMost(WAIT).until(() -> phone.state(Kind.WATCHLIST).size() == 60);

            assertThat(acks).allSatisfy(ack -> assertThat(ack).isCompleted());
            assertThat(tvApp.acks).hasSize(60).allSatisfy((id, count) -> assertThat(count).hasValue(1));
            assertThat(tvApp.snapshots.get()).as("a snapshot after the reconnect").isGreaterThanOrEqualTo(2);
            assertThat(phone.state(Kind.WATCHLIST).values()).allSatisfy(title ->
                    assertThat(title.path("tags")).hasSize(1)); // each add applied once: one tag of the tv
        }
    }

    @Test
    void aCommandReachesItsTargetOnceAndARefusalAfterTheAckIsTyped() {
        String user = "java-" + USERS.incrementAndGet();
        Recorder tvApp = new Recorder();
        Recorder phoneApp = new Recorder();
        try (SyncClient tv = client(user, "tv", ClientStorage.memory(), tvApp).connect();
             SyncClient phone = client(user, "phone", ClientStorage.memory(), phoneApp).connect()) {
            tv.register("Living room", "tv", List.of("playback")).join();
            await().atMost(WAIT).until(() -> phone.state(Kind.DEVICES).containsKey("tv")
                    && phone.state(Kind.DEVICES).get("tv").path("online").asBoolean());

            phone.sendCommand("tv", "seek", "tmdb:550", 120.0).join();
            await().atMost(WAIT).until(() -> tvApp.commands.size() == 1);
            assertThat(tvApp.commands.get(0).path("position_seconds").asDouble()).isEqualTo(120);

            // acked once durable; the processor's refusal comes after the ack, to the app's listener
            SyncClient.Ack sent = phone.sendCommand("no-such-device", "play", "tmdb:550", null).join();
            await().atMost(WAIT).until(() -> !phoneApp.errors.isEmpty());
            assertThat(phoneApp.errors).singleElement().satisfies(error -> {
                assertThat(error.code()).isEqualTo("unknown_device");
                assertThat(error.opId()).isEqualTo(sent.opId());
            });
            assertThat(tvApp.commands).hasSize(1);
        }
    }

    @Test
    void aShortLivedTokenIsRefreshedOnTheOpenConnection() {
        String user = "java-" + USERS.incrementAndGet();
        AtomicInteger tokens = new AtomicInteger();
        List<SyncClient.Status> statuses = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void onStatus(SyncClient.Status status, int code, String reason) {
                statuses.add(status);
            }
        };
        try (SyncClient tv = SyncClient.builder(URI.create("http://localhost:" + gateway), "tv")
                .tokens(() -> {
                    tokens.incrementAndGet();
                    return Device.token(gateway, user, "tv");
                }).refreshBefore(Duration.ofSeconds(3)).listener(listener).build().connect()) {
            // the dev tokens here live 5 s and are refreshed 3 s before: every 2 s on the one connection
            await().atMost(WAIT).until(() -> tokens.get() >= 4); // past the first token's expiry (5 s)
            List<SyncClient.Pending> acks = IntStream.range(0, 3)
                    .mapToObj(i -> tv.addToWatchlist("tmdb:" + i)).toList();
            await().atMost(WAIT).until(() -> acks.stream().allMatch(CompletableFuture::isDone));
            assertThat(statuses).as("one connection throughout").containsExactly(SyncClient.Status.CONNECTING,
                    SyncClient.Status.OPEN);
        }
    }
}
