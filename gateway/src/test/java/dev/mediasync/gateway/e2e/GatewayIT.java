package dev.mediasync.gateway.e2e;

import static dev.mediasync.gateway.e2e.Device.WAIT;
import static dev.mediasync.gateway.e2e.Device.text;
import static dev.mediasync.gateway.e2e.Device.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.pubnub.api.PubNubException;
import com.pubnub.api.UserId;
import com.pubnub.api.java.PubNub;
import com.pubnub.api.java.v2.PNConfiguration;
import com.pubnub.api.models.consumer.history.PNFetchMessagesResult;
import com.pubnub.api.retry.RetryConfiguration;
import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.gateway.pubnub.PubNubGrants;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.pubnub.FakePubNub;
import dev.mediasync.topics.PubNubChannels;
import dev.mediasync.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Devices against the real gateway, processor and a real KRaft broker, through real sockets: what
 * PROTOCOL.md promises a device, end to end. Every test has its own users.
 */
@TestKafka(partitions = 12)
class GatewayIT {

    private static TestBroker kafka;

    private static final AtomicInteger USERS = new AtomicInteger();
    private static Platform platform;
    private static int gateway;
    private static int secondGateway;

    @BeforeAll
    static void start(TestBroker broker) {
        kafka = broker;
        platform = new Platform(broker.bootstrapServers());
        gateway = platform.startGateway();
        secondGateway = platform.startGateway("--sync.gateway.rate-limit-capacity=5",
                "--sync.gateway.rate-limit-per-second=1");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String newUser() {
        return "user-" + USERS.incrementAndGet();
    }

    private static String progress(String opId, String content, int position, String timestamp) {
        return "{\"type\":\"progress_update\",\"op_id\":\"" + opId + "\",\"content_id\":\"" + content
                + "\",\"position_seconds\":" + position + ",\"duration_seconds\":8217,\"state\":\"paused\""
                + (timestamp == null ? "" : ",\"timestamp\":\"" + timestamp + "\"") + "}";
    }

    private static String watchlist(String opId, String operation, String content, String timestamp) {
        return "{\"type\":\"watchlist_update\",\"op_id\":\"" + opId + "\",\"operation\":\"" + operation
                + "\",\"content_id\":\"" + content + "\"" + (timestamp == null ? "" : ",\"timestamp\":\"" + timestamp + "\"")
                + "}";
    }

    private static JsonNode lastState(Device device, String type, String content) {
        return device.last(m -> type(m, type) && content.equals(text(m, "content_id")));
    }

    @Test
    void theRootTellsANewcomerWhereToGoWhenTheConsoleIsOff() {
        HttpResponse<String> root = Platform.get(gateway, "/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("\"openapi\":\"/v3/api-docs\"", "sync.gateway.console=true");
        assertThat(Platform.get(gateway, "/console/").statusCode()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentDescribesEveryRestEndpointOfTheContract() {
        HttpResponse<String> response = Platform.get(gateway, "/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = JsonMapper.builder().build().readTree(response.body()).get("paths");
        assertThat(paths.propertyNames()).contains("/api/v1/sync/watchlist", "/api/v1/sync/progress",
                "/api/v1/sync/progress/{contentId}", "/api/v1/devices", "/api/v1/devices/{deviceId}",
                "/api/v1/devices/handoff", "/api/v1/devices/{deviceId}/commands", "/health");
        assertThat(paths.get("/api/v1/sync/watchlist").propertyNames()).contains("get", "post");
        assertThat(paths.get("/api/v1/sync/progress/{contentId}").propertyNames()).contains("get", "delete");
        assertThat(response.body()).as("the caller comes from the token, never from a parameter")
                .doesNotContain("AuthenticatedDevice");
        assertThat(Platform.get(gateway, "/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    @Test
    void aDeviceGetsASnapshotThenAnAckAndTheStateOfItsOp() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1"); Device phone = Device.connect(gateway, user, "phone")) {
            JsonNode snapshot = tv.received().get(0);
            assertThat(text(snapshot, "type")).isEqualTo("snapshot");
            assertThat(snapshot.get("watchlist").isArray()).isTrue();

            tv.send(watchlist("a1", "add", "tmdb:550", null));

            JsonNode ack = tv.awaitAck("a1");
            assertThat(text(ack, "timestamp")).matches("\\d+:\\d+");
            for (Device device : List.of(tv, phone)) {
                JsonNode state = device.await(m -> type(m, "watchlist_state"));
                assertThat(state.get("in_watchlist").booleanValue()).isTrue();
                assertThat(state.get("tags").get(0).stringValue()).isEqualTo("tv-1/a1");
                assertThat(text(state, "timestamp")).isEqualTo(text(ack, "timestamp"));
            }
        }
    }

    @Test
    void threeDevicesConvergeUnderConcurrentConflictingOpsAndAnotherUserSeesNothing() {
        String user = newUser();
        String stranger = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1");
             Device phone = Device.connect(secondGateway, user, "phone");
             Device web = Device.connect(gateway, user, "web");
             Device other = Device.connect(gateway, stranger, "tv-1")) {
            String tie = "1795000000000:7";
            // equal timestamps: the greatest device id ("web") must win everywhere
            tv.send(progress("p-tv", "tmdb:550", 100, tie));
            phone.send(progress("p-phone", "tmdb:550", 200, tie));
            web.send(progress("p-web", "tmdb:550", 300, tie));
            // add and remove race on another title; the phone removes what it has not seen
            tv.send(watchlist("w-tv", "add", "tmdb:603", "1795000000001:0"));
            phone.send(watchlist("w-phone", "remove", "tmdb:603", "1795000000000:5"));
            web.send(watchlist("w-web", "add", "tmdb:604", null));
            List.of("p-tv", "w-tv").forEach(tv::awaitAck);
            phone.awaitAck("p-phone");
            phone.awaitAck("w-phone");
            web.awaitAck("p-web");

            for (Device device : List.of(tv, phone, web)) {
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode progress = lastState(device, "progress_state", "tmdb:550");
                    assertThat(progress).isNotNull();
                    assertThat(text(progress, "device_id")).isEqualTo("web");
                    assertThat(progress.get("position_seconds").intValue()).isEqualTo(300);
                    JsonNode added = lastState(device, "watchlist_state", "tmdb:603");
                    assertThat(added).isNotNull();
                    assertThat(added.get("in_watchlist").booleanValue()).as("add after the remove stays").isTrue();
                    assertThat(lastState(device, "watchlist_state", "tmdb:604")).isNotNull();
                });
            }
            // the stranger only ever hears of itself
            assertThat(other.received()).allMatch(m -> type(m, "snapshot") || type(m, "device_state"))
                    .noneMatch(m -> m.toString().contains("tmdb:") || m.toString().contains(user + "\""));
        }
    }

    @Test
    void anOpResentAfterReconnectChangesNothing() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            Device phone = Device.connect(gateway, user, "phone");
            phone.send(progress("p1", "tmdb:550", 100, null));
            phone.awaitAck("p1");
            tv.send(progress("p2", "tmdb:550", 200, null));
            tv.awaitAck("p2");
            phone.await(m -> type(m, "progress_state") && "p2".equals(text(m, "op_id")));
            phone.close();

            Device again = Device.connect(gateway, user, "phone");
            assertThat(again.received().get(0).get("progress").get(0).get("op_id").stringValue()).isEqualTo("p2");
            again.send(progress("p1", "tmdb:550", 100, null));
            again.awaitAck("p1");

            JsonNode state = again.await(m -> type(m, "progress_state"));
            assertThat(text(state, "op_id")).isEqualTo("p2");
            assertThat(state.get("position_seconds").intValue()).isEqualTo(200);
            again.close();
        }
    }

    @Test
    void devicesConnectingAtOnceEachGetTheirOwnUsersSnapshot() throws Exception {
        // reads that come while others are out go to the processor together: each must reach its own device
        List<String> users = IntStream.range(0, 48).mapToObj(i -> newUser()).toList();
        for (int i = 0; i < users.size(); i++) {
            assertThat(post("/api/v1/sync/watchlist", Device.token(gateway, users.get(i), "api"),
                    "{\"operation\":\"add\",\"content_id\":\"tmdb:" + i + "\"}").statusCode()).isEqualTo(202);
        }
        for (int i = 0; i < users.size(); i++) { // users are on different partitions: each applied on its own
            String token = Device.token(gateway, users.get(i), "api");
            String own = "\"tmdb:" + i + "\"";
            await().atMost(WAIT).until(() -> get("/api/v1/sync/watchlist", token).body().contains(own));
        }

        ExecutorService connecting = Executors.newFixedThreadPool(users.size());
        List<Future<Device>> devices = users.stream()
                .map(user -> connecting.submit(() -> Device.connect(gateway, user, "tv-1"))).toList();
        try {
            for (int i = 0; i < users.size(); i++) {
                String own = "tmdb:" + i;
                JsonNode snapshot = devices.get(i).get().received().get(0);
                assertThat(text(snapshot, "type")).isEqualTo("snapshot");
                assertThat(snapshot.get("watchlist")).as(users.get(i)).singleElement()
                        .satisfies(item -> assertThat(text(item, "content_id")).isEqualTo(own));
            }
        } finally {
            connecting.shutdown();
            for (Future<Device> device : devices) {
                device.get().close();
            }
        }
    }

    @Test
    void aCleanCloseShowsTheDeviceOfflineOnItsSiblings() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            Device phone = Device.connect(secondGateway, user, "phone");
            JsonNode online = tv.await(m -> type(m, "device_state") && "phone".equals(text(m, "device_id")));
            assertThat(online.get("online").booleanValue()).isTrue();

            phone.close();

            tv.await(m -> type(m, "device_state") && "phone".equals(text(m, "device_id"))
                    && !m.get("online").booleanValue());
        }
    }

    @Test
    void aStoppingGatewayTellsItsDevicesToReconnectElsewhereAndTheyGoOfflineCleanly() {
        String user = newUser();
        int leaving = platform.startGateway();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            Device phone = Device.connect(leaving, user, "phone");
            tv.await(m -> type(m, "device_state") && "phone".equals(text(m, "device_id"))
                    && m.get("online").booleanValue());

            platform.stopGateway(leaving);

            await().atMost(WAIT).until(() -> phone.closedWith() != null);
            assertThat(phone.closedWith()).isEqualTo(1012);
            tv.await(m -> type(m, "device_state") && "phone".equals(text(m, "device_id"))
                    && !m.get("online").booleanValue());
        }
    }

    @Test
    void aDeviceGetsAPubNubTokenThatReadsItsOwnUsersChannelsAndNoOneElses() throws Exception {
        try (FakePubNub pubnub = FakePubNub.withAccessManager()) {
            int withPubNub = platform.startGateway("--sync.pubnub.subscribe-key=sub-key",
                    "--sync.pubnub.secret-key=sec-key", "--sync.pubnub.origin=" + pubnub.origin(),
                    "--sync.pubnub.secure=false");
            String alice = newUser();
            String bob = newUser();
            // what the relay published (it signs with the secret key, as the gateway does for grants)
            PubNub relay = pubnubClient(pubnub, "sync-relay", null, "sec-key");
            relay.publish("{\"type\":\"watchlist_state\",\"content_id\":\"tmdb:550\"}", PubNubChannels.sync(alice))
                    .sync();
            relay.publish("{\"type\":\"watchlist_state\",\"content_id\":\"tmdb:603\"}", PubNubChannels.sync(bob))
                    .sync();
            relay.destroy();

            HttpResponse<String> granted = Platform.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + withPubNub + "/api/v1/pubnub/token"))
                    .header("Authorization", "Bearer " + Device.token(withPubNub, alice, "tv-1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());

            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
            JsonNode body = JsonMapper.builder().build().readTree(granted.body());
            assertThat(body.get("pubnub_user_id").stringValue()).isEqualTo(alice + ".tv-1");
            FakePubNub.Grant grant = pubnub.grants().get(0);
            assertThat(grant.uuid()).isEqualTo(alice + ".tv-1");
            assertThat(grant.channels()).containsOnlyKeys(PubNubGrants.channelsOf(alice))
                    .allSatisfy((channel, mask) -> assertThat(mask).as(channel).isEqualTo(FakePubNub.READ));
            // the grant ends with the caller's JWT (12 h dev tokens) at the latest
            assertThat(body.get("expires_at").longValue()).isLessThanOrEqualTo(System.currentTimeMillis() + 12 * 3_600_000L);

            PubNub device = pubnubClient(pubnub, alice + ".tv-1", body.get("token").stringValue(), null);
            try {
                PNFetchMessagesResult own = device.fetchMessages().channels(List.of(PubNubChannels.sync(alice))).sync();
                assertThat(own.getChannels().get(PubNubChannels.sync(alice))).singleElement()
                        .satisfies(item -> assertThat(item.getMessage().toString()).contains("tmdb:550"));
                assertThatThrownBy(() -> device.fetchMessages().channels(List.of(PubNubChannels.sync(bob))).sync())
                        .isInstanceOf(PubNubException.class)
                        .satisfies(e -> assertThat(((PubNubException) e).getStatusCode()).isEqualTo(403));
                assertThatThrownBy(() -> device.publish("{}", PubNubChannels.sync(alice)).sync())
                        .as("devices only read").isInstanceOf(PubNubException.class);
            } finally {
                device.destroy();
            }
            // the same token presented by another client id is refused
            PubNub thief = pubnubClient(pubnub, bob + ".phone", body.get("token").stringValue(), null);
            assertThatThrownBy(() -> thief.fetchMessages().channels(List.of(PubNubChannels.sync(alice))).sync())
                    .isInstanceOf(PubNubException.class);
            thief.destroy();

            // one user asking in a loop runs out of grants; PubNub is not asked for them, and bob still gets his
            String flood = Device.token(withPubNub, alice, "phone");
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                statuses.add(Platform.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + withPubNub + "/api/v1/pubnub/token"))
                        .header("Authorization", "Bearer " + flood)
                        .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
            }
            assertThat(statuses).contains(429);
            assertThat(pubnub.grants().size()).isLessThan(30);
            HttpResponse<String> other = Platform.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + withPubNub + "/api/v1/pubnub/token"))
                    .header("Authorization", "Bearer " + Device.token(withPubNub, bob, "tv-1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(other.statusCode()).isEqualTo(200);
        }
        HttpResponse<String> off = Platform.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + gateway + "/api/v1/pubnub/token"))
                .header("Authorization", "Bearer " + Device.token(gateway, newUser(), "tv-1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(off.statusCode()).isEqualTo(404);
        assertThat(off.body()).contains("\"code\":\"not_found\"", "sync.pubnub.secret-key");
    }

    @Test
    void aPubNubThatHangsHoldsNoRequestThreadAndItsCallersGetUnavailable() throws Exception {
        try (FakePubNub pubnub = FakePubNub.withAccessManager()) {
            // four request threads: were a grant to hold one while PubNub answers, six would take them all
            int port = platform.startGateway("--sync.pubnub.subscribe-key=sub-key",
                    "--sync.pubnub.secret-key=sec-key", "--sync.pubnub.origin=" + pubnub.origin(),
                    "--sync.pubnub.secure=false", "--sync.pubnub.max-pending-grants=6",
                    "--sync.pubnub.grant-timeout=3s", "--server.tomcat.threads.max=4");
            pubnub.holdGrants();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> asks = IntStream.range(0, 8)
                    .mapToObj(i -> http.sendAsync(pubnubTokenRequest(port, newUser()),
                            HttpResponse.BodyHandlers.ofString()))
                    .toList();

            await().atMost(WAIT).until(pubnub::heldGrants, held -> held == 6);
            await().atMost(WAIT).until(() -> asks.stream().filter(CompletableFuture::isDone).count() == 2);
            asks.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).forEach(refused -> {
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("\"code\":\"unavailable\"", "already waiting");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            });
            HttpResponse<String> served = Platform.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/sync/watchlist"))
                    .header("Authorization", "Bearer " + Device.token(port, newUser(), "tv-1")).GET().build());
            assertThat(served.statusCode()).as("other requests while six grants wait: " + served.body()).isEqualTo(200);

            // PubNub never answers: the waiting devices are told so after the grant timeout
            await().atMost(WAIT).until(() -> asks.stream().allMatch(CompletableFuture::isDone));
            assertThat(asks).extracting(ask -> ask.join().statusCode()).containsOnly(503);
            assertThat(asks.stream().map(ask -> ask.join().body()).filter(b -> b.contains("did not answer within")))
                    .hasSize(6);

            pubnub.answerGrants();
            await().atMost(WAIT).until(() -> Platform.send(pubnubTokenRequest(port, newUser())).statusCode() == 200);
        }
    }

    private static HttpRequest pubnubTokenRequest(int port, String userId) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/pubnub/token"))
                .header("Authorization", "Bearer " + Device.token(port, userId, "tv-1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static PubNub pubnubClient(FakePubNub pubnub, String userId, String token, String secretKey)
            throws PubNubException {
        PNConfiguration.Builder config = PNConfiguration.builder(new UserId(userId), "sub-key").publishKey("pub-key")
                .origin(pubnub.origin()).secure(false).retryConfiguration(RetryConfiguration.None.INSTANCE);
        if (secretKey != null) {
            config.secretKey(secretKey);
        }
        PubNub client = PubNub.create(config.build());
        if (token != null) {
            client.setToken(token);
        }
        return client;
    }

    @Test
    void aCommandPastItsExpiryIsNotDelivered() {
        String user = newUser();
        MessageCodec codec = new MessageCodec();
        try (Device tv = Device.connect(gateway, user, "tv-1");
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers()), new StringSerializer(),
                     new ByteArraySerializer())) {
            // as a lagging gateway would meet them: an old command, then a live one, on this gateway's slot (0)
            for (String id : List.of("phone/old", "phone/live")) {
                long expiresAt = System.currentTimeMillis() + (id.endsWith("old") ? -1_000 : 30_000);
                RecordHeaders headers = new RecordHeaders();
                EventEnvelope.write(headers, user, "tv-1", UserEvent.NO_VERSION, expiresAt);
                producer.send(new ProducerRecord<>(Topics.DELIVERIES, 0, user, codec.encodeEvent(new UserEvent(user, "tv-1",
                        new DeviceCommand(id, "phone", CommandType.PLAY, "tmdb:550", 10.0, expiresAt),
                        UserEvent.NO_VERSION)), headers));
            }
            producer.flush();

            assertThat(text(tv.await(m -> type(m, "device_command")), "command_id")).isEqualTo("phone/live");
            assertThat(tv.received()).filteredOn(m -> type(m, "device_command")).hasSize(1);
        }
    }

    @Test
    void aHandoffPlaysAtTheResumePositionOnTheTargetAndPausesTheSource() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1");
             Device phone = Device.connect(gateway, user, "phone");
             Device web = Device.connect(secondGateway, user, "web")) {
            tv.await(m -> type(m, "device_state") && "web".equals(text(m, "device_id")));
            phone.send(progress("p1", "tmdb:550", 3245, null));
            phone.awaitAck("p1");
            tv.await(m -> type(m, "progress_state"));

            phone.send("{\"type\":\"device_handoff\",\"op_id\":\"h1\",\"target_device_id\":\"tv-1\","
                    + "\"content_id\":\"tmdb:550\"}");

            JsonNode play = tv.await(m -> type(m, "device_command"));
            assertThat(text(play, "command")).isEqualTo("play");
            assertThat(play.get("position_seconds").intValue()).isEqualTo(3240);
            assertThat(text(play, "from_device_id")).isEqualTo("phone");
            assertThat(text(play, "command_id")).isEqualTo("phone/h1");
            assertThat(play.get("expires_at").longValue()).isGreaterThan(System.currentTimeMillis());
            phone.awaitAck("h1");
            JsonNode pause = phone.await(m -> type(m, "device_command"));
            assertThat(text(pause, "command")).as("the source is paused").isEqualTo("pause");
            assertThat(text(pause, "command_id")).isEqualTo("phone/h1:pause");
            assertThat(web.last(m -> type(m, "device_command"))).isNull();
        }
    }

    @Test
    void aCommandToAnUnknownDeviceIsRefusedToTheSender() {
        String user = newUser();
        try (Device phone = Device.connect(gateway, user, "phone")) {
            phone.send("{\"type\":\"device_command\",\"op_id\":\"c1\",\"target_device_id\":\"toaster\",\"command\":\"pause\"}");

            JsonNode error = phone.awaitError("unknown_device");
            assertThat(text(error, "op_id")).isEqualTo("c1");
        }
    }

    @Test
    void everyKindOfBadFrameGetsItsTypedErrorAndTheConnectionKeepsWorking() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            tv.send("not json");
            tv.awaitError("bad_request");
            tv.send("{\"type\":\"teleport\",\"op_id\":\"x1\"}");
            assertThat(text(tv.await(m -> "x1".equals(text(m, "op_id"))), "message")).startsWith("type must be one of");
            tv.send(progress("x2", "tmdb:550", 9000, null));
            assertThat(text(tv.await(m -> "x2".equals(text(m, "op_id"))), "message"))
                    .isEqualTo("position_seconds must be ≤ duration_seconds");
            tv.send("{\"type\":\"device_heartbeat\",\"pad\":\"" + "x".repeat(5000) + "\"}");
            tv.awaitError("too_large");
            tv.send("{\"type\":\"device_heartbeat\",\"pad\":\"" + "y".repeat(60_000) + "\"}");
            assertThat(text(tv.await(m -> type(m, "error") && text(m, "message").startsWith("frame is 600")),
                    "code")).isEqualTo("too_large");
            long future = System.currentTimeMillis() + 3_600_000;
            tv.send(watchlist("x3", "add", "tmdb:550", future + ":0"));
            assertThat(text(tv.await(m -> "x3".equals(text(m, "op_id"))), "code")).isEqualTo("clock_skew");
            tv.send(watchlist("x4", "add", "tmdb:550", "1000:0"));
            assertThat(text(tv.await(m -> "x4".equals(text(m, "op_id"))), "code")).isEqualTo("stale");

            tv.send(watchlist("ok", "add", "tmdb:550", null));
            tv.awaitAck("ok");
            assertThat(tv.closedWith()).isNull();
        }
    }

    @Test
    void aFramePastTheCloseLimitClosesTheConnectionWith1009AndTheDeviceCanReconnect() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            tv.send("{\"type\":\"device_heartbeat\",\"pad\":\"" + "z".repeat(200_000) + "\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> tv.closedWith() != null);
            assertThat(tv.closedWith()).isEqualTo(1009);
        }
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            tv.send(watchlist("after-1009", "add", "tmdb:550", null));
            tv.awaitAck("after-1009");
        }
    }

    @Test
    void aDeviceOverItsRateLimitIsToldSoAndKeepsItsConnection() {
        String user = newUser();
        try (Device tv = Device.connect(secondGateway, user, "tv-1")) {
            IntStream.range(0, 8).forEach(i -> tv.send(watchlist("r" + i, "add", "tmdb:" + i, null)));

            tv.awaitError("rate_limited");
            assertThat(tv.closedWith()).isNull();
        }
    }

    @Test
    void anUpgradeWithoutAValidTokenIsRefusedWith401() {
        String user = newUser();
        String forged = Device.token(gateway, user, "tv-1");
        forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("A") ? "BB" : "AA");
        for (String token : List.of("", "garbage", forged)) {
            String bearer = token;
            assertThatThrownBy(() -> Device.open(gateway, user, "tv-1", bearer))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        }
    }

    @Test
    void theAccessTokenQueryParameterWorksForBrowsers() throws Exception {
        String user = newUser();
        String token = Device.token(gateway, user, "web");
        HttpClient http = HttpClient.newHttpClient();
        java.util.concurrent.CompletableFuture<String> firstFrame = new java.util.concurrent.CompletableFuture<>();
        StringBuilder parts = new StringBuilder();
        var socket = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://localhost:" + gateway + "/ws?device_id=web&access_token=" + token),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                          boolean last) {
                        parts.append(data);
                        if (last) {
                            firstFrame.complete(parts.toString());
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();

        // authenticated by the query parameter alone: the device is served its user's snapshot
        assertThat(type(json(firstFrame.get(10, java.util.concurrent.TimeUnit.SECONDS)), "snapshot")).isTrue();
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void aDevicesOlderAddArrivingAfterItsNewerOneAndASiblingsRemoveLeavesTheTitleWithTheNewerTag() {
        String user = newUser();
        long now = System.currentTimeMillis();
        try (Device tv = Device.connect(gateway, user, "tv-1"); Device phone = Device.connect(gateway, user, "phone")) {
            // the tv stamped A, then B; A was held up on the way (refused, resent) and reaches the log after B;
            // the phone removed the title between A and B
            phone.send(watchlist("r1", "remove", "tmdb:550", (now - 2_000) + ":0"));
            phone.awaitAck("r1");
            tv.send(watchlist("b", "add", "tmdb:550", (now - 1_000) + ":0"));
            tv.awaitAck("b");
            tv.send(watchlist("a", "add", "tmdb:550", (now - 3_000) + ":0"));
            tv.awaitAck("a");
            tv.send(progress("marker", "tmdb:1", 10, null)); // applied after A: the user's ops keep their order
            phone.await(m -> type(m, "progress_state") && "marker".equals(text(m, "op_id")));

            String token = Device.token(gateway, user, "api");
            JsonNode items = json(get("/api/v1/sync/watchlist", token).body()).get("items");
            assertThat(items).hasSize(1);
            assertThat(text(items.get(0), "content_id")).isEqualTo("tmdb:550");
            assertThat(items.get(0).get("tags").get(0).stringValue()).isEqualTo("tv-1/b");
            assertThat(items.get(0).get("tags")).hasSize(1);
        }
    }

    @Test
    void theRestApiWritesAndReadsTheSameState() {
        String user = newUser();
        String token = Device.token(gateway, user, "api");
        HttpResponse<String> added = post("/api/v1/sync/watchlist", token, "{\"operation\":\"add\",\"content_id\":\"tmdb:550\"}");
        assertThat(added.statusCode()).isEqualTo(202);
        assertThat(added.body()).contains("\"op_id\"", "\"timestamp\"");
        assertThat(post("/api/v1/sync/progress", token, "{\"content_id\":\"tmdb:550\",\"position_seconds\":8000,"
                + "\"duration_seconds\":8217,\"state\":\"playing\"}").statusCode()).isEqualTo(202);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get("/api/v1/sync/watchlist", token).body()).contains("\"content_id\":\"tmdb:550\"");
            HttpResponse<String> progress = get("/api/v1/sync/progress", token);
            assertThat(progress.body()).contains("\"completed\":[{").contains("\"in_progress\":[]");
        });
        assertThat(get("/api/v1/sync/progress/tmdb:550", token).body()).contains("\"type\":\"progress_state\"");
        HttpResponse<String> missing = get("/api/v1/sync/progress/tmdb:1", token);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        HttpResponse<String> bad = post("/api/v1/sync/progress", token, "{\"content_id\":\"tmdb:550\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"code\":\"bad_request\"", "position_seconds is required");
        HttpResponse<String> unknown = post("/api/v1/devices/handoff", token,
                "{\"target_device_id\":\"tv-9\",\"content_id\":\"tmdb:550\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown_device");
        assertThat(get("/api/v1/devices", "nope").statusCode()).isEqualTo(401);
        assertThat(Platform.get(gateway, "/health").body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void aRestCommandReachesAnOnlineDevice() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            String token = Device.token(gateway, user, "phone");
            await().atMost(WAIT).until(() -> get("/api/v1/devices", token).body().contains("\"online\":true"));

            HttpResponse<String> sent = post("/api/v1/devices/tv-1/commands", token,
                    "{\"command\":\"seek\",\"content_id\":\"tmdb:550\",\"position_seconds\":120}");

            assertThat(sent.statusCode()).isEqualTo(202);
            assertThat(sent.body()).contains("\"command_id\":\"phone/");
            JsonNode seek = tv.await(m -> type(m, "device_command"));
            assertThat(text(seek, "command")).isEqualTo("seek");
            assertThat(seek.get("position_seconds").intValue()).isEqualTo(120);

            HttpResponse<String> cast = post("/api/v1/devices/tv-1/commands", token, "{\"command\":\"cast\"}");
            assertThat(cast.statusCode()).as("the tv never registered 'cast'").isEqualTo(422);
            assertThat(cast.body()).contains("\"code\":\"unsupported_command\"");
        }
    }

    @Test
    void aUserAtEveryCapGetsTheWholeSnapshotAndLaterEventsWhileAnotherUsersOpsPropagate() {
        String heavy = newUser();
        String light = newUser();
        try (Device lightTv = Device.connect(gateway, light, "tv-1");
             Device lightPhone = Device.connect(gateway, light, "phone");
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            MessageCodec codec = new MessageCodec();
            long now = System.currentTimeMillis();
            int[] n = {0};
            java.util.function.BiConsumer<String, OpBody> op = (device, body) -> producer.send(new ProducerRecord<>(
                    Topics.OPS, heavy, codec.encodeOp(new Op(heavy, device, Hlc.of(now, n[0]++ % 65_000), now, body))));
            for (int d = 0; d < 99; d++) {
                op.accept("d-" + (d == 98 ? 97 : d), new DevicePresence(PresenceEvent.CONNECT, "s" + d));
            }
            for (int t = 0; t < 10_000; t++) {
                op.accept("d-" + t % 16, new WatchlistUpdate("w" + t, WatchlistOperation.ADD, "tmdb:" + t, null));
                op.accept("d-" + t % 16, new ProgressUpdate("p" + t, "tmdb:" + t,
                        new PlaybackPosition(t % 8000, 8217, PlaybackState.PAUSED)));
            }
            for (int t = 0; t < 100; t++) {
                for (int d = 16; d < 32; d++) {
                    op.accept("d-" + d, new WatchlistUpdate("x" + t + "-" + d, WatchlistOperation.ADD, "tmdb:" + t, null));
                }
            }
            op.accept("d-98", new DevicePresence(PresenceEvent.CONNECT, "s98")); // the last: all before it applied
            producer.flush();

            lightTv.send(progress("l1", "tmdb:1", 42, null));
            assertThat(lightPhone.await(m -> type(m, "progress_state")).get("position_seconds").intValue()).isEqualTo(42);

            String token = Device.token(gateway, heavy, "d-99");
            await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/devices?limit=1000", token).body()
                    .contains("\"d-98\""));
            long start = System.nanoTime();
            try (Device newcomer = Device.connect(gateway, heavy, "d-99")) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                JsonNode snapshot = newcomer.received().get(0);
                int bytes = snapshot.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                System.out.printf("snapshot of a user at every cap: %d bytes, connect to snapshot %d ms%n", bytes, millis);
                assertThat(snapshot.get("watchlist")).hasSize(10_000);
                assertThat(snapshot.get("progress")).hasSize(10_000);
                assertThat(snapshot.get("devices")).hasSizeGreaterThanOrEqualTo(99); // its own connect may follow
                assertThat(snapshot.get("watchlist").get(0).get("tags")).as("tmdb:0").hasSize(16);
                assertThat(millis).isLessThan(10_000);
                boolean inSnapshot = snapshot.get("devices").toString().contains("\"d-99\"");
                if (!inSnapshot) {
                    newcomer.await(m -> type(m, "device_state") && "d-99".equals(text(m, "device_id")));
                }

                newcomer.send(progress("n1", "tmdb:5", 100, null));
                assertThat(newcomer.await(m -> type(m, "progress_state") && "n1".equals(text(m, "op_id")))
                        .get("position_seconds").intValue()).isEqualTo(100);
                newcomer.send(watchlist("n2", "add", "tmdb:new", null));
                assertThat(text(newcomer.awaitError("limit_exceeded"), "op_id")).isEqualTo("n2");
                try (Device oneTooMany = Device.connect(gateway, heavy, "d-100")) {
                    assertThat(text(oneTooMany.awaitError("limit_exceeded"), "message")).contains("100 device");
                }
            }

            int titles = 0;
            String cursor = "";
            do {
                JsonNode page = json(get("/api/v1/sync/watchlist?limit=1000&cursor=" + cursor, token).body());
                titles += page.get("items").size();
                cursor = page.has("next_cursor") ? page.get("next_cursor").stringValue() : null;
            } while (cursor != null);
            assertThat(titles).isEqualTo(10_000);

            lightTv.send(progress("l2", "tmdb:1", 43, null));
            assertThat(lightPhone.await(m -> type(m, "progress_state") && "l2".equals(text(m, "op_id")))).isNotNull();
        }
    }

    @Test
    void aTitleWhoseIdHoldsSlashesIsReadAndRemovedOverRestWithTheSlashesEncoded() {
        String user = newUser();
        String token = Device.token(gateway, user, "api");
        assertThat(post("/api/v1/sync/progress", token, "{\"content_id\":\"show/s01/e02\",\"position_seconds\":80,"
                + "\"duration_seconds\":2000,\"state\":\"paused\"}").statusCode()).isEqualTo(202);

        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/api/v1/sync/progress/show%2Fs01%2Fe02", token).body())
                .contains("\"content_id\":\"show/s01/e02\"", "\"position_seconds\":80"));
        assertThat(get("/api/v1/sync/progress/show%2Fs01", token).statusCode()).isEqualTo(404);
        assertThat(delete("/api/v1/sync/progress/show%2Fs01%2Fe02", token).statusCode()).isEqualTo(202);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(get("/api/v1/sync/progress/show%2Fs01%2Fe02", token).statusCode()).isEqualTo(404));
    }

    @Test
    void progressAndDevicesCanBeRemovedOverRestAndEveryDeviceIsTold() {
        String user = newUser();
        try (Device tv = Device.connect(gateway, user, "tv-1")) {
            String token = Device.token(gateway, user, "phone");
            Device.connect(gateway, user, "old-tablet").close();
            tv.await(m -> type(m, "device_state") && "old-tablet".equals(text(m, "device_id"))
                    && !m.get("online").booleanValue());
            assertThat(post("/api/v1/sync/progress", token, "{\"content_id\":\"tmdb:550\",\"position_seconds\":80,"
                    + "\"duration_seconds\":8217,\"state\":\"paused\"}").statusCode()).isEqualTo(202);
            tv.await(m -> type(m, "progress_state"));

            assertThat(delete("/api/v1/sync/progress/tmdb:550", token).statusCode()).isEqualTo(202);
            assertThat(text(tv.await(m -> type(m, "progress_removed")), "content_id")).isEqualTo("tmdb:550");
            assertThat(delete("/api/v1/devices/tv-1", token).statusCode()).as("online").isEqualTo(403);
            assertThat(delete("/api/v1/devices/toaster", token).statusCode()).isEqualTo(404);
            assertThat(delete("/api/v1/devices/old-tablet", token).statusCode()).isEqualTo(202);
            assertThat(text(tv.await(m -> type(m, "device_removed")), "device_id")).isEqualTo("old-tablet");

            await().atMost(Device.WAIT).untilAsserted(() -> {
                assertThat(json(get("/api/v1/sync/progress", token).body()).get("in_progress")).isEmpty();
                assertThat(get("/api/v1/devices", token).body()).doesNotContain("old-tablet");
            });
        }
    }

    private static JsonNode json(String body) {
        return JsonMapper.builder().build().readTree(body);
    }

    private static HttpResponse<String> delete(String path, String token) {
        return Platform.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway + path))
                .header("Authorization", "Bearer " + token).DELETE().build());
    }

    private static HttpResponse<String> post(String path, String token, String body) {
        return Platform.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> get(String path, String token) {
        return Platform.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway + path))
                .header("Authorization", "Bearer " + token).GET().build());
    }
}
