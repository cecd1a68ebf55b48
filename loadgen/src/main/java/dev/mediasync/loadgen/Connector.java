package dev.mediasync.loadgen;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Opens a device's WebSocket; the future completes once its snapshot has arrived. */
interface Connector {

    CompletableFuture<Device> connect(URI uri, String token, String user, String id, BiConsumer<Device, String> onFrame);

    /** The client named by {@code --client}: {@code jdk} (the default) or {@code browser}. */
    static Connector named(String name, java.net.http.HttpClient http) {
        return switch (name) {
            case "jdk" -> new JdkConnector(http);
            case "browser" -> new BrowserLikeConnector();
            default -> throw new IllegalArgumentException("--client must be jdk or browser, got " + name);
        };
    }
}
