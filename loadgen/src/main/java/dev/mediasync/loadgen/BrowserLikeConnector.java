package dev.mediasync.loadgen;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.apache.tomcat.websocket.WsWebSocketContainer;

/**
 * Devices that open their WebSocket as browsers and the {@code ws} library do: offering
 * permessage-deflate ({@code Sec-WebSocket-Extensions: permessage-deflate}), and compressing when the
 * server accepts (Tomcat's client). What real clients get is what this mode measures.
 */
final class BrowserLikeConnector implements Connector {

    /** The offer browsers make; Tomcat's client compresses when the server accepts it. */
    private static final Extension PERMESSAGE_DEFLATE = new Extension() {
        @Override
        public String getName() {
            return "permessage-deflate";
        }

        @Override
        public List<Parameter> getParameters() {
            return List.of();
        }
    };

    private final WsWebSocketContainer container = new WsWebSocketContainer();
    private final ExecutorService connecting = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "browser-like-connect");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public CompletableFuture<Device> connect(URI uri, String token, String user, String id,
                                             BiConsumer<Device, String> onFrame) {
        Device device = new Device(user, id, onFrame);
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .extensions(List.of(PERMESSAGE_DEFLATE))
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Authorization", List.of("Bearer " + token));
                    }
                }).build();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return container.connectToServer(new Client(device), config, uri);
            } catch (jakarta.websocket.DeploymentException e) {
                throw new IllegalStateException("connect failed: " + e.getMessage(), e);
            }
        }, connecting).thenCompose(session -> device.opened(new Transport(session)));
    }

    private static final class Client extends Endpoint {

        private final Device device;

        Client(Device device) {
            this.device = device;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) device::onText);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            device.onFailure(new IllegalStateException("closed " + reason));
        }

        @Override
        public void onError(Session session, Throwable error) {
            device.onFailure(error);
        }
    }

    /** Tomcat's async remote takes one message at a time: each send waits for the previous one. */
    private static final class Transport implements Device.Transport {

        private final Session session;
        private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);

        Transport(Session session) {
            this.session = session;
        }

        @Override
        public synchronized CompletableFuture<?> send(String json) {
            lastSend = lastSend.thenCompose(ignored -> {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                session.getAsyncRemote().sendText(json, result -> {
                    if (result.isOK()) {
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(result.getException());
                    }
                });
                return sent;
            });
            return lastSend;
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
