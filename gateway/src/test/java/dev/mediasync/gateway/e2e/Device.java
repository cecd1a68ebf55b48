package dev.mediasync.gateway.e2e;

import dev.mediasync.contract.ContractSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A device: a real WebSocket connection to a gateway, recording every frame it receives. */
final class Device implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String user;
    final String id;
    final String token;
    private final List<JsonNode> received;
    private final AtomicReference<Integer> closedWith;
    private final WebSocket socket;

    private Device(String user, String id, String token, WebSocket socket, Holder holder) {
        this.user = user;
        this.id = id;
        this.token = token;
        this.socket = socket;
        this.received = holder.received;
        this.closedWith = holder.closedWith;
    }

    /** Mints a dev token, connects and waits for the snapshot. */
    static Device connect(int port, String user, String id) {
        String token = token(port, user, id);
        Device device = open(port, user, id, token);
        device.await(m -> m.get("type").stringValue().equals("snapshot"));
        return device;
    }

    /** A dev token for the user, bound to device {@code id}, or to none when {@code id} is null. */
    static String token(int port, String user, String id) {
        String device = id == null ? "" : ",\"device_id\":\"" + id + "\"";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/dev/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\"" + device + "}"))
                .build();
        return JSON.readTree(Platform.send(request).body()).get("token").stringValue();
    }

    static Device open(int port, String user, String id, String token) {
        return open(port, user, id, token, Map.of());
    }

    /** Opens with further upgrade headers (an {@code Origin}, say); a refused upgrade throws. */
    static Device open(int port, String user, String id, String token, Map<String, String> headers) {
        Holder holder = new Holder();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token);
        headers.forEach(builder::header);
        WebSocket socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/ws?device_id=" + id), holder)
                .orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        return new Device(user, id, token, socket, holder);
    }

    /**
     * The listener exists before the device and keeps what arrives: frames can come before the upgrade's
     * future completes, and a listener must never wait for it (it would hold the client's thread).
     */
    private static final class Holder implements WebSocket.Listener {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Integer> closedWith = new AtomicReference<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received.add(JSON.readTree(text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith.set(statusCode);
            return null;
        }
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    /** Waits for a received frame matching {@code match} and returns the latest such frame. */
    JsonNode await(Predicate<JsonNode> match) {
        return Awaitility.await().atMost(WAIT).until(() -> last(match), m -> m != null);
    }

    JsonNode last(Predicate<JsonNode> match) {
        JsonNode found = null;
        for (JsonNode message : received) {
            if (match.test(message)) {
                found = message;
            }
        }
        return found;
    }

    List<JsonNode> received() {
        return received;
    }

    JsonNode awaitAck(String opId) {
        return await(m -> type(m, "ack") && opId.equals(text(m, "op_id")));
    }

    JsonNode awaitError(String code) {
        return await(m -> type(m, "error") && code.equals(text(m, "code")));
    }

    Integer closedWith() {
        return closedWith.get();
    }

    static boolean type(JsonNode message, String type) {
        return type.equals(text(message, "type"));
    }

    static String text(JsonNode message, String field) {
        JsonNode value = message.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** Closes the connection, and holds every frame it received against the contract's schema. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        received.forEach(frame -> ContractSchemas.assertConforms("ServerMessage", frame.toString()));
    }
}
