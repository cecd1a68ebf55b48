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
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
        JsonNode saved = JsonMapper.builder().build().readTree(outbox);
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

    @Test
    void aClientWhoseGatewayStopsMovesToTheNextAndLosesNothing() {
        int second = platform.startGateway("--sync.security.dev-token-ttl=5s");
        String user = "java-" + USERS.incrementAndGet();
        Recorder tvApp = new Recorder();
        List<URI> gateways = List.of(URI.create("http://localhost:" + second), URI.create("http://localhost:" + gateway));
        try (SyncClient tv = SyncClient.builder(gateways, 0, "tv").tokens(() -> Device.token(gateway, user, "tv"))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500)).listener(tvApp).build().connect();
             SyncClient phone = client(user, "phone", ClientStorage.memory(), new Recorder()).connect()) {
            await().atMost(WAIT).until(() -> tvApp.snapshots.get() == 1);
            List<SyncClient.Pending> ops = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ops.add(tv.addToWatchlist("tmdb:" + i));
            }
            platform.stopGateway(second); // a deploy: its devices are told to reconnect (1012)
            for (int i = 10; i < 20; i++) {
                ops.add(tv.addToWatchlist("tmdb:" + i));
            }
            await().atMost(WAIT).until(() -> ops.stream().allMatch(CompletableFuture::isDone));
            await().atMost(WAIT).until(() -> phone.state(Kind.WATCHLIST).size() == 20);

            assertThat(ops).allSatisfy(op -> assertThat(op).isCompleted());
            assertThat(tvApp.snapshots.get()).as("a snapshot from the second gateway").isEqualTo(2);
            assertThat(tvApp.acks).hasSize(20).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        }
    }

    @Test
    void aConnectionThatAnswersNothingIsMadeAgainAfterTheAckTimeout() throws Exception {
        String user = "java-" + USERS.incrementAndGet();
        Recorder tvApp = new Recorder();
        try (FreezingProxy proxy = new FreezingProxy(gateway);
             SyncClient tv = SyncClient.builder(URI.create("http://localhost:" + proxy.port()), "tv")
                     .tokens(() -> Device.token(gateway, user, "tv")).reconnect(Duration.ofMillis(50), Duration.ofMillis(500))
                     .ackTimeout(Duration.ofSeconds(1)).listener(tvApp).build().connect()) {
            await().atMost(WAIT).until(() -> tvApp.snapshots.get() == 1);
            proxy.freezeOpenConnections(); // a half-open connection: nothing passes, nothing closes
            SyncClient.Pending op = tv.addToWatchlist("tmdb:1");

            await().atMost(WAIT).until(op::isDone);
            assertThat(op).isCompleted();
            assertThat(tvApp.snapshots.get()).as("a new connection, a new snapshot").isEqualTo(2);
        }
    }

    /** Relays TCP to the gateway; frozen, the connections open then pass nothing and stay open. */
    private static final class FreezingProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<AtomicBoolean> frozen = new CopyOnWriteArrayList<>();

        FreezingProxy(int target) throws IOException {
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket("localhost", target);
                        AtomicBoolean stop = new AtomicBoolean();
                        sockets.add(client);
                        sockets.add(upstream);
                        frozen.add(stop);
                        relay(client, upstream, stop);
                        relay(upstream, client, stop);
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "freezing-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void freezeOpenConnections() {
            frozen.forEach(stop -> stop.set(true));
        }

        private static void relay(Socket from, Socket to, AtomicBoolean stop) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = from.getInputStream().read(buffer)) >= 0; ) {
                        if (!stop.get()) {
                            to.getOutputStream().write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // a side closed
                }
            }, "freezing-proxy-relay");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aClientWhoseUserIsErasedStopsForGoodAndKeepsNothing(@TempDir Path data) {
        String user = "java-" + USERS.incrementAndGet();
        Recorder recorder = new Recorder();
        try (SyncClient tv = client(user, "tv", ClientStorage.directory(data), recorder).connect()) {
            tv.addToWatchlist("tmdb:550").join();
            await().atMost(WAIT).until(() -> tv.state(Kind.WATCHLIST).containsKey("tmdb:550"));

            HttpResponse<String> erased = Platform.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + gateway + "/api/v1/admin/users/" + user))
                    .header("Authorization", "Bearer " + Platform.OPERATOR_TOKEN).DELETE().build());
            assertThat(erased.statusCode()).isEqualTo(202);

            await().atMost(WAIT).until(() -> recorder.errors.stream().anyMatch(e -> e.code().equals("user_erased")));
            assertThat(tv.state(Kind.WATCHLIST)).isEmpty();
            assertThat(ClientStorage.directory(data).load("outbox")).contains("\"ops\":[]");
            assertThat(ClientStorage.directory(data).load("state")).doesNotContain("tmdb:550");
            int snapshots = recorder.snapshots.get();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> recorder.snapshots.get() == snapshots); // no reconnect
        }
    }
}
