package dev.mediasync.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/** Devices on the JDK's WebSocket client, which offers no extensions (no permessage-deflate). */
final class JdkConnector implements Connector {

    private final HttpClient http;

    JdkConnector(HttpClient http) {
        this.http = http;
    }

    @Override
    public CompletableFuture<Device> connect(URI uri, String token, String user, String id,
                                             BiConsumer<Device, String> onFrame) {
        Device device = new Device(user, id, onFrame);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .buildAsync(uri, new Listener(device))
                .thenCompose(socket -> device.opened(new Transport(socket)));
    }

    /** Frames are handled at once with unbounded demand: asking for each one again cost a scheduling round. */
    private record Listener(Device device) implements WebSocket.Listener {

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            device.onText(data, last);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            device.onFailure(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            device.onFailure(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }
    }

    private static final class Transport implements Device.Transport {

        private final WebSocket socket;
        private CompletableFuture<WebSocket> lastSend;

        Transport(WebSocket socket) {
            this.socket = socket;
            this.lastSend = CompletableFuture.completedFuture(socket);
        }

        @Override
        public synchronized CompletableFuture<?> send(String json) {
            lastSend = lastSend.thenCompose(s -> s.sendText(json, true));
            return lastSend;
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
            }
        }
    }
}
