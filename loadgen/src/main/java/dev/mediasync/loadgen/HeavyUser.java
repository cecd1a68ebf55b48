package dev.mediasync.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A user at every per-user limit (10,000 titles, 10,000 progress entries, 100 devices, 16 tags on 100
 * titles), written straight into the op log, then what such a user feels: the time from opening a
 * WebSocket to holding the whole snapshot, its size, and the time of one REST page of 1,000 titles.
 * Options: {@code --url --kafka --connects}.
 */
public final class HeavyUser {

    private static final int TITLES = 10_000;
    private static final int DEVICES = 99; // the device that connects to measure is the 100th

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadGenerator.options(args);
        URI url = URI.create(options.getOrDefault("url", "http://localhost:8083"));
        String kafka = options.getOrDefault("kafka", "127.0.0.1:9092");
        int connects = LoadGenerator.number(options, "connects", 10);
        String user = "heavy-" + UUID.randomUUID();
        Platform platform = new Platform(url);
        String token = platform.token(user);

        long start = System.nanoTime();
        fill(kafka, user);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest devices = HttpRequest.newBuilder(url.resolve("/api/v1/devices?limit=1000"))
                .header("Authorization", "Bearer " + token).build();
        while (!http.send(devices, HttpResponse.BodyHandlers.ofString()).body().contains("\"d-" + (DEVICES - 1) + "\"")) {
            TimeUnit.MILLISECONDS.sleep(500); // within the user's read rate (5/s)
        }
        System.out.printf("filled %s to every limit in %.1f s%n", user, (System.nanoTime() - start) / 1e9);

        Histogram toSnapshot = new Histogram(3);
        int bytes = 0;
        for (int i = 0; i < connects; i++) {
            long opened = System.nanoTime();
            CompletableFuture<String> snapshot = new CompletableFuture<>();
            WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(platform.webSocket(url.getHost(), "d-" + DEVICES), new FirstFrame(snapshot)).join();
            bytes = snapshot.get(60, TimeUnit.SECONDS).getBytes(StandardCharsets.UTF_8).length;
            toSnapshot.recordValue((System.nanoTime() - opened) / 1000);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            TimeUnit.MILLISECONDS.sleep(250); // a connect is a read: stay within the user's read rate
        }
        HttpRequest page = HttpRequest.newBuilder(url.resolve("/api/v1/sync/watchlist?limit=1000"))
                .header("Authorization", "Bearer " + token).build();
        Histogram pages = new Histogram(3);
        for (int i = 0; i < connects; i++) {
            long asked = System.nanoTime();
            http.send(page, HttpResponse.BodyHandlers.ofString());
            pages.recordValue((System.nanoTime() - asked) / 1000);
            TimeUnit.MILLISECONDS.sleep(250);
        }
        System.out.printf("snapshot %,d bytes; open to snapshot p50 %.0f / max %.0f ms over %d connects; "
                        + "REST page of 1,000 titles p50 %.0f / max %.0f ms%n", bytes,
                toSnapshot.getValueAtPercentile(50) / 1000.0, toSnapshot.getMaxValue() / 1000.0, connects,
                pages.getValueAtPercentile(50) / 1000.0, pages.getMaxValue() / 1000.0);
    }

    /** Writes the user's ops as the gateway would: presence of 99 devices, titles, progress, extra tags. */
    private static void fill(String kafka, String user) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.ACKS_CONFIG, "all");
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            int[] n = {0};
            java.util.function.BiConsumer<String, String> op = (device, body) -> producer.send(new ProducerRecord<>(
                    "sync.ops.v1", user, "{" + body + ",\"user_id\":\"" + user + "\",\"device_id\":\"" + device
                            + "\",\"timestamp\":\"" + now + ":" + n[0]++ % 65_000 + "\",\"received_at\":" + now + "}"));
            for (int d = 0; d < DEVICES - 1; d++) {
                op.accept("d-" + d, presence(d));
            }
            for (int t = 0; t < TITLES; t++) {
                op.accept("d-" + t % 16, "\"type\":\"watchlist_update\",\"op_id\":\"w" + t
                        + "\",\"operation\":\"add\",\"content_id\":\"tmdb:" + t + "\"");
                op.accept("d-" + t % 16, "\"type\":\"progress_update\",\"op_id\":\"p" + t + "\",\"content_id\":\"tmdb:"
                        + t + "\",\"position_seconds\":" + t % 8000 + ",\"duration_seconds\":8217,\"state\":\"paused\"");
            }
            for (int t = 0; t < 100; t++) {
                for (int d = 16; d < 31; d++) {
                    op.accept("d-" + d, "\"type\":\"watchlist_update\",\"op_id\":\"x" + t + "-" + d
                            + "\",\"operation\":\"add\",\"content_id\":\"tmdb:" + t + "\"");
                }
            }
            op.accept("d-" + (DEVICES - 1), presence(DEVICES - 1)); // the last: every op before it is applied
        }
    }

    private static String presence(int device) {
        return "\"type\":\"device_presence\",\"event\":\"connect\",\"session_id\":\"s" + device + "\"";
    }

    /** Completes with the first whole text frame: the snapshot. */
    private record FirstFrame(CompletableFuture<String> first, StringBuilder parts) implements WebSocket.Listener {

        FirstFrame(CompletableFuture<String> first) {
            this(first, new StringBuilder());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            parts.append(data);
            if (last && !first.isDone()) {
                first.complete(parts.toString());
            }
            socket.request(1);
            return null;
        }
    }
}
