import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A new user's first minute against a running bin/sync-local, with nothing but the JDK:
 * /health, a dev token, a WebSocket connect, the snapshot, one op, its ack and its state event.
 * Usage: java .ci/SyncLocalSmoke.java [http://localhost:8083]
 */
public class SyncLocalSmoke {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8083";
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        check(health.statusCode() == 200 && health.body().contains("\"UP\""), "/health: " + health.body());

        String user = "smoke-" + System.currentTimeMillis();
        HttpResponse<String> minted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dev/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\",\"device_id\":\"tv-1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        check(minted.statusCode() == 200, "dev token: " + minted.statusCode() + " " + minted.body());
        String token = minted.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws?device_id=tv-1"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);

        expect(frames, "\"type\":\"snapshot\"", "snapshot");
        socket.sendText("{\"type\":\"watchlist_update\",\"op_id\":\"smoke-1\",\"operation\":\"add\","
                + "\"content_id\":\"tmdb:550\"}", true).join();
        boolean acked = false;
        boolean state = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(acked && state) && System.nanoTime() < deadline) {
            String frame = frames.poll(500, TimeUnit.MILLISECONDS);
            if (frame == null) {
                continue;
            }
            acked |= frame.contains("\"type\":\"ack\"") && frame.contains("\"op_id\":\"smoke-1\"");
            state |= frame.contains("\"type\":\"watchlist_state\"") && frame.contains("\"in_watchlist\":true");
        }
        check(acked, "no ack for the op");
        check(state, "no watchlist_state for the op");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        System.out.println("smoke: /health, token, WebSocket snapshot, op, ack and state event: OK");
    }

    private static void expect(LinkedBlockingQueue<String> frames, String marker, String what) throws InterruptedException {
        String frame = frames.poll(15, TimeUnit.SECONDS);
        check(frame != null && frame.contains(marker), "expected a " + what + ", got " + frame);
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            System.err.println("smoke: FAILED: " + failure);
            System.exit(1);
        }
    }
}
