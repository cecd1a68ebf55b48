package dev.mediasync.gateway.e2e;

import static dev.mediasync.gateway.e2e.Device.text;
import static dev.mediasync.gateway.e2e.Device.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.mediasync.clock.Hlc;
import dev.mediasync.gateway.ws.SessionRegistry;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.QueryApi;
import dev.mediasync.topics.Topics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.TestSocketUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's edge against abuse and mistakes, through real sockets on a gateway with small limits:
 * every refusal is typed, nothing one user does stops another, connections outlive no token.
 */
@TestKafka(partitions = 12)
class EdgeIT {

    private static TestBroker kafka;

    private static final AtomicInteger USERS = new AtomicInteger();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Platform platform;
    private static int strict;

    @BeforeAll
    static void start(TestBroker broker) {
        kafka = broker;
        platform = new Platform(kafka.bootstrapServers());
        strict = platform.startGateway("--sync.gateway.max-connections-per-user=3",
                "--sync.gateway.max-new-devices-per-hour=4",
                "--sync.gateway.read-rate-limit-capacity=5", "--sync.gateway.read-rate-limit-per-second=1",
                "--sync.gateway.user-rate-limit-capacity=10", "--sync.gateway.user-rate-limit-per-second=1",
                "--sync.gateway.max-body-bytes=1KB", "--sync.security.dev-token-ttl=4s");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String newUser() {
        return "edge-" + USERS.incrementAndGet();
    }

    private static HttpResponse<String> request(String method, String path, String token, String contentType,
                                                HttpRequest.BodyPublisher body, String deviceId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + strict + path))
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (deviceId != null) {
            request.header("X-Device-Id", deviceId);
        }
        return Platform.send(request.build());
    }

    private static HttpResponse<String> postJson(String path, String token, String body) {
        return request("POST", path, token, "application/json", HttpRequest.BodyPublishers.ofString(body), null);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("code").stringValue()).isEqualTo(code);
    }

    private static String add(String opId, String content) {
        return "{\"type\":\"watchlist_update\",\"op_id\":\"" + opId + "\",\"operation\":\"add\",\"content_id\":\""
                + content + "\"}";
    }

    @Test
    void bodiesOverTheLimitAreRefusedBeforeTheyAreReadDeclaredOrChunked() {
        String token = Device.token(strict, newUser(), "api");
        String big = "{\"operation\":\"add\",\"content_id\":\"tmdb:1\",\"padding\":\"" + "x".repeat(2_000) + "\"}";

        assertProblem(postJson("/api/v1/sync/watchlist", token, big), 413, "too_large");
        InputStream chunked = new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8));
        assertProblem(request("POST", "/api/v1/sync/watchlist", token, "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> chunked), null), 413, "too_large");
        assertThat(postJson("/api/v1/sync/watchlist", token, "{\"operation\":\"add\",\"content_id\":\"tmdb:1\"}")
                .statusCode()).isEqualTo(202);
    }

    @Test
    void everyRestErrorIsProblemJsonWithACode() {
        String token = Device.token(strict, newUser(), "api");
        String huge = "1".repeat(400);

        assertProblem(request("GET", "/api/v1/nothing-here", token, null, HttpRequest.BodyPublishers.noBody(), null),
                404, "not_found");
        assertProblem(request("POST", "/api/v1/sync/watchlist", token, "text/plain",
                HttpRequest.BodyPublishers.ofString("{}"), null), 415, "unsupported_media_type");
        assertProblem(request("DELETE", "/api/v1/sync/watchlist", token, null, HttpRequest.BodyPublishers.noBody(),
                null), 405, "method_not_allowed");
        assertProblem(request("GET", "/api/v1/sync/progress/tmdb:404", token, null,
                HttpRequest.BodyPublishers.noBody(), null), 404, "not_found");
        assertProblem(postJson("/api/v1/sync/progress", token, "{\"content_id\":\"tmdb:1\",\"position_seconds\":"
                + huge + ",\"duration_seconds\":10,\"state\":\"paused\"}"), 400, "bad_request");
    }

    @Test
    void badFramesGetTypedErrorsAndTheConnectionKeepsWorking() {
        try (Device tv = Device.connect(strict, newUser(), "tv-1")) {
            tv.send("{\"type\":\"progress_update\",\"op_id\":\"big\",\"content_id\":\"tmdb:1\",\"position_seconds\":"
                    + "1".repeat(400) + ",\"duration_seconds\":10,\"state\":\"paused\"}");
            assertThat(text(tv.awaitError("bad_request"), "op_id")).isEqualTo("big");
            tv.sendBinary(new byte[] {1, 2, 3});
            await().atMost(Device.WAIT).until(() -> tv.received().stream()
                    .filter(m -> type(m, "error") && "bad_request".equals(text(m, "code"))).count() == 2);

            tv.send(add("ok", "tmdb:1"));
            tv.awaitAck("ok");
            assertThat(tv.closedWith()).isNull();
        }
    }

    @Test
    void aConnectionPastTheUsersCapIsRefusedAtTheUpgrade() {
        String user = newUser();
        try (Device a = Device.connect(strict, user, "a"); Device b = Device.connect(strict, user, "b");
             Device c = Device.connect(strict, user, "c")) {
            String token = Device.token(strict, user, "d");
            assertThatThrownBy(() -> Device.open(strict, user, "d", token)).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
                        assertThat(e.getResponse().statusCode()).isEqualTo(409);
                        assertThat(String.valueOf(e.getResponse().body())).contains("limit_exceeded");
                    });
            assertThat(List.of(a, b, c)).allSatisfy(device -> assertThat(device.closedWith()).isNull());
        }
    }

    @Test
    void rotatingDeviceIdsIsBoundedAndBuysNoExtraRate() {
        String user = newUser();
        String token = Device.token(strict, user, null);
        for (int i = 0; i < 4; i++) {
            assertThat(request("POST", "/api/v1/sync/watchlist", token, "application/json",
                    HttpRequest.BodyPublishers.ofString("{\"operation\":\"add\",\"content_id\":\"tmdb:" + i + "\"}"),
                    "rotated-" + i).statusCode()).isEqualTo(202);
        }
        assertProblem(request("POST", "/api/v1/sync/watchlist", token, "application/json",
                HttpRequest.BodyPublishers.ofString("{\"operation\":\"add\",\"content_id\":\"tmdb:9\"}"),
                "rotated-4"), 409, "limit_exceeded");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(request("POST", "/api/v1/sync/watchlist", token, "application/json",
                    HttpRequest.BodyPublishers.ofString("{\"operation\":\"add\",\"content_id\":\"tmdb:" + i + "\"}"),
                    "rotated-" + i % 4).statusCode());
        }
        assertThat(statuses).as("the user's bucket (10) spans its devices").contains(429);
    }

    @Test
    void readsAreRateLimitedPerUser() {
        String token = Device.token(strict, newUser(), "api");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(request("GET", "/api/v1/sync/watchlist", token, null, HttpRequest.BodyPublishers.noBody(),
                    null).statusCode());
        }
        assertThat(statuses).contains(200, 429);
        String otherToken = Device.token(strict, newUser(), "api");
        assertThat(request("GET", "/api/v1/sync/watchlist", otherToken, null, HttpRequest.BodyPublishers.noBody(),
                null).statusCode()).isEqualTo(200);
    }

    @Test
    void aConnectionEndsWithItsTokenUnlessRefreshed() {
        String user = newUser();
        try (Device tv = Device.connect(strict, user, "tv-1"); Device phone = Device.connect(strict, user, "phone")) {
            long firstExpiry = System.currentTimeMillis() + 4_000;
            // refresh halfway, so the new token (whole seconds, like every JWT) outlives the phone's clearly
            await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() >= firstExpiry - 2_000);
            tv.send("{\"type\":\"token_refresh\",\"token\":\"" + Device.token(strict, user, "tv-1") + "\"}");
            long refreshedUntil = tv.await(m -> type(m, "token_refreshed")).get("expires_at").longValue();
            assertThat(refreshedUntil).isGreaterThan(firstExpiry + 1_000);

            tv.send("{\"type\":\"token_refresh\",\"token\":\"" + Device.token(strict, user, "phone") + "\"}");
            assertThat(text(tv.awaitError("forbidden"), "message")).contains("phone");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(phone.closedWith()).isEqualTo(4401);
                assertThat(phone.received()).anyMatch(m -> type(m, "error") && "unauthorized".equals(text(m, "code")));
            });
            assertThat(tv.closedWith()).as("refreshed: still open when the phone's token ran out").isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(4401).equals(tv.closedWith()));
        }
    }

    @Test
    void anUpgradeFromAForeignOriginIsRefusedByDefault() {
        String user = newUser();
        String token = Device.token(strict, user, "web");
        assertThatThrownBy(() -> Device.open(strict, user, "web", token, Map.of("Origin", "http://evil.example")))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        try (Device web = Device.open(strict, user, "web", token, Map.of("Origin", "http://localhost:" + strict))) {
            web.await(m -> type(m, "snapshot"));
        }
    }

    @Test
    void permessageDeflateOfferedAsBrowsersDoIsDeclined() throws IOException {
        String user = newUser();
        String token = Device.token(strict, user, "web");
        try (Socket socket = new Socket("localhost", strict)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws?device_id=web HTTP/1.1\r\nHost: localhost:" + strict + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 101");
            assertThat(head.toLowerCase()).doesNotContain("sec-websocket-extensions");
        }
    }

    @Test
    void devicesThatReadNothingHoldUpNoOneElse() throws Exception {
        List<String> stuckUsers = List.of(newUser(), newUser());
        String healthyUser = newUser();
        List<Socket> stuck = new ArrayList<>();
        try (Device tv = Device.connect(strict, healthyUser, "tv-1");
             Device phone = Device.connect(strict, healthyUser, "phone");
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                     new StringSerializer(), new ByteArraySerializer())) {
            for (String user : stuckUsers) { // six stuck devices: more than the gateway's four sender threads
                for (int i = 0; i < 3; i++) {
                    stuck.add(readsNothing(user, "stuck-" + i));
                }
            }
            MessageCodec codec = new MessageCodec();
            List<String> tags = IntStream.range(0, 100).mapToObj(t -> "device-" + t + "/op-" + t).toList();
            for (String user : stuckUsers) {
                for (int i = 0; i < 500; i++) { // ~4 KB each: 2 MB for every stuck device
                    WatchlistState state = new WatchlistState("tmdb:" + i, true, tags,
                            Hlc.of(System.currentTimeMillis(), 0));
                    RecordHeaders headers = new RecordHeaders();
                    EventEnvelope.write(headers, user, null, UserEvent.NO_VERSION, EventEnvelope.NEVER);
                    producer.send(new ProducerRecord<>(Topics.DELIVERIES, platform.slotOf(strict), user,
                            codec.encodeEvent(new UserEvent(user, null, state, UserEvent.NO_VERSION)), headers));
                }
            }
            producer.flush();

            for (int i = 0; i < 8; i++) { // within the strict gateway's per-user bucket (10)
                String opId = "h" + i;
                tv.send("{\"type\":\"progress_update\",\"op_id\":\"" + opId + "\",\"content_id\":\"tmdb:1\","
                        + "\"position_seconds\":" + i + ",\"duration_seconds\":100,\"state\":\"paused\"}");
                await().atMost(Duration.ofSeconds(3)).until(() -> phone.received().stream()
                        .anyMatch(m -> type(m, "progress_state") && opId.equals(text(m, "op_id"))));
            }
            assertThat(tv.closedWith()).isNull();
            assertThat(phone.closedWith()).isNull();
        } finally {
            for (Socket socket : stuck) {
                socket.close();
            }
        }
    }

    @Test
    void withTheOpLogDownFramesAndRequestsAreAnsweredAtOnce() {
        int down = platform.startGatewayOn("127.0.0.1:" + TestSocketUtils.findAvailableTcpPort());
        String user = newUser();
        String token = Device.token(down, user, "tv-1");
        long opened = System.nanoTime();
        try (Device tv = Device.open(down, user, "tv-1", token)) {
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("the upgrade waits for no Kafka send")
                    .isLessThan(Duration.ofSeconds(1));
            tv.send(add("w1", "tmdb:1"));
            long asked = System.nanoTime();
            assertThat(Platform.get(down, "/health").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(500));

            // its connect never reached the log, so no event would be routed here: no snapshot (nor anything
            // held for after it), but `unavailable` and 1013, once the producer gives up on the broker (2 s)
            await().atMost(Duration.ofSeconds(5)).until(() -> tv.closedWith() != null);
            assertThat(tv.closedWith()).isEqualTo(1013);
            assertThat(tv.received()).singleElement().satisfies(m -> assertThat(text(m, "code")).isEqualTo("unavailable"));
        }
        // a REST write waits for the log on no request thread, and is told when to retry
        HttpResponse<String> refused = Platform.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + down + "/api/v1/sync/watchlist"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"add\",\"content_id\":\"tmdb:2\"}"))
                .build());
        assertProblem(refused, 503, "unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void aSnapshotThatCannotBeReadIsRetriedAndThenTheDeviceIsToldToReconnect() throws IOException {
        AtomicInteger refusals = new AtomicInteger(3);
        HttpServer flaky = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        flaky.createContext("/", exchange -> { // the processor's query API, away for the first reads
            if (refusals.getAndDecrement() <= 0) {
                forwardToProcessor(exchange);
                return;
            }
            exchange.sendResponseHeaders(503, 0);
            exchange.close();
        });
        flaky.start();
        try {
            int gateway = platform.startGateway("--sync.gateway.processor-url=http://localhost:"
                    + flaky.getAddress().getPort(), "--sync.gateway.snapshot-retry-for=3s");
            String user = newUser();
            try (Device tv = Device.connect(gateway, user, "tv-1")) {
                assertThat(type(tv.received().get(0), "snapshot")).as("after three failed reads").isTrue();
                assertThat(tv.received()).noneMatch(m -> type(m, "error"));
            }

            refusals.set(1_000);
            try (Device phone = Device.open(gateway, user, "phone", Device.token(gateway, user, "phone"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1013).equals(phone.closedWith()));
                assertThat(phone.received()).noneMatch(m -> type(m, "snapshot"))
                        .anyMatch(m -> type(m, "error") && "unavailable".equals(text(m, "code")));
            }
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void aConnectStormBeyondTheGatewaysRateIsToldWhenToComeBack() {
        int gateway = platform.startGateway("--sync.gateway.connect-rate-per-second=1");
        List<String> users = IntStream.range(0, 12).mapToObj(i -> newUser()).toList();
        List<String> tokens = users.stream().map(user -> Device.token(gateway, user, "tv")).toList();
        ExecutorService connecting = Executors.newFixedThreadPool(users.size());
        List<CompletableFuture<Device>> storm = IntStream.range(0, users.size())
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> Device.open(gateway, users.get(i), "tv", tokens.get(i)),
                        connecting)).toList();
        List<Device> admitted = new ArrayList<>();
        List<WebSocketHandshakeException> refused = new ArrayList<>();
        for (CompletableFuture<Device> connect : storm) {
            try {
                admitted.add(connect.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() instanceof CompletionException nested ? nested.getCause() : e.getCause();
                refused.add((WebSocketHandshakeException) cause);
            }
        }
        connecting.shutdown();
        try {
            assertThat(refused).as("1 at once and 1 per second admitted of 12 at once").hasSizeGreaterThanOrEqualTo(6)
                    .allSatisfy(EdgeIT::assertComeBackLater);
            assertThat(admitted).isNotEmpty().allSatisfy(device -> device.await(m -> type(m, "snapshot")));
            try (Device late = await().atMost(Device.WAIT).ignoreExceptions()
                    .until(() -> Device.open(gateway, users.get(0), "phone", Device.token(gateway, users.get(0), "phone")),
                            device -> device != null)) {
                late.await(m -> type(m, "snapshot"));
            }
        } finally {
            admitted.forEach(Device::close);
        }
    }

    @Test
    void oneUsersConnectFloodTakesNothingFromOtherUsersConnects() throws InterruptedException {
        int gateway = platform.startGateway("--sync.gateway.connect-rate-per-second=3",
                "--sync.gateway.read-rate-limit-capacity=1", "--sync.gateway.read-rate-limit-per-second=1");
        String flooder = newUser();
        String flooderToken = Device.token(gateway, flooder, "tv");
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        Thread flood = new Thread(() -> { // one connect after another, each refused by the user's read bucket but 1 a second
            while (flooding.get()) {
                attempts.incrementAndGet();
                try {
                    Device.open(gateway, flooder, "tv", flooderToken).close();
                } catch (RuntimeException refused) {
                    // 429 rate_limited: what this user asked for
                }
            }
        });
        flood.start();
        try {
            await().atMost(Device.WAIT).until(() -> attempts.get() > 20);
            for (int i = 0; i < 2; i++) { // each on its first attempt: the flood holds none of the gateway's 3 a second
                String user = newUser();
                try (Device device = Device.open(gateway, user, "tv", Device.token(gateway, user, "tv"))) {
                    device.await(m -> type(m, "snapshot"));
                }
            }
        } finally {
            flooding.set(false);
            flood.join();
        }
    }

    @Test
    void whileSnapshotReadsPileUpNewConnectsAreToldWhenToComeBack() throws IOException {
        CountDownLatch processorBack = new CountDownLatch(1);
        HttpServer slow = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> { // the processor's query API, answering nothing until it is back
            try {
                processorBack.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            forwardToProcessor(exchange);
        });
        slow.start();
        try {
            int gateway = platform.startGateway("--sync.gateway.processor-url=http://localhost:"
                    + slow.getAddress().getPort(), "--sync.gateway.max-pending-snapshots=2");
            String user = newUser();
            try (Device tv = Device.open(gateway, user, "tv", Device.token(gateway, user, "tv"));
                 Device phone = Device.open(gateway, user, "phone", Device.token(gateway, user, "phone"))) {
                String token = Device.token(gateway, user, "web");
                assertThatThrownBy(() -> Device.open(gateway, user, "web", token)).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, EdgeIT::assertComeBackLater);

                processorBack.countDown();
                tv.await(m -> type(m, "snapshot"));
                phone.await(m -> type(m, "snapshot"));
                try (Device web = await().atMost(Device.WAIT).ignoreExceptions()
                        .until(() -> Device.open(gateway, user, "web", token), device -> device != null)) {
                    web.await(m -> type(m, "snapshot"));
                }
            }
        } finally {
            processorBack.countDown();
            slow.stop(0);
        }
    }

    /** Answers a stand-in processor's request with the real processor's answer. */
    private static void forwardToProcessor(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.processorUrl() + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                        exchange.getRequestBody().readAllBytes()));
        for (String header : List.of(QueryApi.TOKEN_HEADER, "Content-Type")) {
            java.util.Optional.ofNullable(exchange.getRequestHeaders().getFirst(header))
                    .ifPresent(value -> request.header(header, value));
        }
        HttpResponse<byte[]> real = HttpClient.newHttpClient()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).join();
        for (String header : List.of(QueryApi.VERSION_HEADER, QueryApi.VERSIONS_HEADER, "Content-Type")) {
            real.headers().firstValue(header).ifPresent(value -> exchange.getResponseHeaders().add(header, value));
        }
        exchange.sendResponseHeaders(real.statusCode(), real.body().length);
        exchange.getResponseBody().write(real.body());
        exchange.close();
    }

    /** 503 {@code unavailable} with Retry-After (s) and {@code retry_after_ms}, spread over 1 to 2 s. */
    private static void assertComeBackLater(WebSocketHandshakeException refusal) {
        HttpResponse<?> response = refusal.getResponse();
        assertThat(response.statusCode()).isEqualTo(503);
        var problem = JSON.readTree(String.valueOf(response.body()));
        assertThat(problem.get("code").stringValue()).isEqualTo("unavailable");
        long retryAfterMs = problem.get("retry_after_ms").longValue();
        assertThat(retryAfterMs).isBetween(1_000L, 1_999L);
        assertThat(response.headers().firstValue("Retry-After")).hasValue(Long.toString((retryAfterMs + 999) / 1000));
    }

    @Test
    void snapshotsComeFromTheNextProcessorWhenOneIsDown() {
        int gateway = platform.startGateway("--sync.gateway.processor-url=http://localhost:"
                + TestSocketUtils.findAvailableTcpPort() + "," + platform.processorUrl(),
                "--sync.gateway.snapshot-retry-for=0s"); // no retry: the first read must find a processor
        String user = newUser();
        for (int i = 0; i < 3; i++) { // reads start at either URL in turn
            try (Device tv = Device.connect(gateway, user, "tv-1")) {
                assertThat(tv.received()).noneMatch(m -> type(m, "error"));
            }
        }
    }

    /** A WebSocket whose client never reads after the upgrade, with a small receive window. */
    private static Socket readsNothing(String user, String deviceId) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", strict));
        socket.getOutputStream().write(("GET /ws?device_id=" + deviceId + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + Device.token(strict, user, deviceId)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 101");
        return socket;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void aClientClockAheadMovesOnlyItsOwnUsersStamps() {
        String mallory = newUser();
        String bob = newUser();
        try (Device m = Device.connect(strict, mallory, "tv-1"); Device b = Device.connect(strict, bob, "tv-1")) {
            Hlc ahead = Hlc.of(System.currentTimeMillis() + 50_000, 0);
            m.send("{\"type\":\"watchlist_update\",\"op_id\":\"m1\",\"operation\":\"add\",\"content_id\":\"tmdb:1\","
                    + "\"timestamp\":\"" + ahead + "\"}");
            m.awaitAck("m1");
            m.send(add("m2", "tmdb:2"));
            b.send(add("b1", "tmdb:1"));

            assertThat(Hlc.parse(text(m.awaitAck("m2"), "timestamp"))).isGreaterThan(ahead);
            assertThat(Hlc.parse(text(b.awaitAck("b1"), "timestamp"))).isLessThan(ahead);
        }
    }

    @Test
    void oneUsersAbuseLeavesAnotherUsersOpsFlowingAndTheHeapBounded() throws Exception {
        String victim = newUser();
        String abuser = newUser();
        try (Device tv = Device.connect(strict, victim, "tv-1"); Device phone = Device.connect(strict, victim, "phone")) {
            long heapBefore = usedHeapAfterGc();
            String token = Device.token(strict, abuser, null);
            List<Device> held = new ArrayList<>();
            try {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 6; i++) { // device ids past the guard, connections past the cap
                        try {
                            held.add(Device.open(strict, abuser, "abuser-" + round + "-" + i, token));
                        } catch (CompletionException refused) {
                            // refused at the upgrade, as it should be
                        }
                    }
                    // An upgrade that passed the check while the one before it was not yet registered is closed
                    // (1008) right after, so the cap holds for the sessions registered (later rounds meet the
                    // new-device and read limits too); the gateway may also have closed the junk senders of the
                    // round before, freeing their places.
                    assertThat(platform.gatewayBean(strict, SessionRegistry.class).sessionsOf(abuser))
                            .as("sessions held in round %d", round).hasSizeLessThanOrEqualTo(3);
                    request("POST", "/api/v1/sync/watchlist", token, "application/json",
                            HttpRequest.BodyPublishers.ofString("x".repeat(1_000_000)), "abuser-0-0");
                    for (Device device : held) {
                        abuse(device);
                    }
                    tv.send("{\"type\":\"progress_update\",\"op_id\":\"v" + round + "\",\"content_id\":\"tmdb:1\","
                            + "\"position_seconds\":" + round + ",\"duration_seconds\":100,\"state\":\"paused\"}");
                    String opId = "v" + round;
                    phone.await(msg -> type(msg, "progress_state") && opId.equals(text(msg, "op_id")));
                }
            } finally {
                held.forEach(Device::close);
            }
            long heapAfter = usedHeapAfterGc();
            assertThat(heapAfter - heapBefore).as("heap growth, bytes").isLessThan(64L << 20);
        }
    }

    /** Sends junk until the gateway closes the connection, which it may do at any of these frames. */
    private static void abuse(Device device) {
        try {
            device.send("{\"type\":" + "[".repeat(2_000));
            device.send("\u0000\u0001garbage");
            device.sendBinary(new byte[4096]);
        } catch (CompletionException closedByGateway) {
            assertThat(closedByGateway).hasRootCauseInstanceOf(IOException.class);
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
