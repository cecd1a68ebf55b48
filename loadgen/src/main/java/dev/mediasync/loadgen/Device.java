package dev.mediasync.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One simulated device: a WebSocket connection that hands every received frame, with its arrival time,
 * to a handler. Frames are not parsed into trees: the load generator only looks for a few markers.
 */
final class Device implements WebSocket.Listener {

    final String user;
    final String id;
    private final BiConsumer<Device, String> onFrame;
    private final CompletableFuture<Long> snapshotAt = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private CompletableFuture<WebSocket> lastSend;

    private Device(String user, String id, BiConsumer<Device, String> onFrame) {
        this.user = user;
        this.id = id;
        this.onFrame = onFrame;
    }

    /** Connects; the future completes when the snapshot has arrived. */
    static CompletableFuture<Device> connect(HttpClient http, URI uri, String token, String user, String id,
                                             BiConsumer<Device, String> onFrame) {
        Device device = new Device(user, id, onFrame);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .buildAsync(uri, device)
                .thenCompose(socket -> {
                    device.socket = socket;
                    device.lastSend = CompletableFuture.completedFuture(socket);
                    return device.snapshotAt;
                })
                .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                .thenApply(at -> device);
    }

    /**
     * Sends after the previous send completes (a WebSocket takes one send at a time); the future fails
     * when this frame could not be sent.
     */
    synchronized CompletableFuture<WebSocket> send(String json) {
        lastSend = lastSend.thenCompose(s -> s.sendText(json, true));
        return lastSend;
    }

    void close() {
        WebSocket s = socket;
        if (s != null && !s.isOutputClosed()) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
        }
    }

    /** Unbounded demand: frames are handled at once, and asking for each one again cost a scheduling round. */
    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String frame;
        if (partial.length() == 0 && last) {
            frame = data.toString();
        } else {
            partial.append(data);
            if (!last) {
                return null;
            }
            frame = partial.toString();
            partial.setLength(0);
        }
        if (!snapshotAt.isDone() && frame.startsWith("{\"type\":\"snapshot\"")) {
            snapshotAt.complete(System.nanoTime());
        } else if (!snapshotAt.isDone() && frame.startsWith("{\"type\":\"error\"")) {
            snapshotAt.completeExceptionally(new IllegalStateException("refused before the snapshot: " + frame));
        } else {
            onFrame.accept(this, frame);
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        snapshotAt.completeExceptionally(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        snapshotAt.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }
}
