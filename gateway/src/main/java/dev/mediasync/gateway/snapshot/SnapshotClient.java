package dev.mediasync.gateway.snapshot;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.GatewayProperties;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Snapshot;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.stereotype.Component;

/** Reads a user's snapshot from the state processor's query API (any instance; it forwards to the owner). */
@Component
public class SnapshotClient {

    private final HttpClient http;
    private final MessageCodec codec;
    private final GatewayProperties properties;

    public SnapshotClient(MessageCodec codec, GatewayProperties properties) {
        this.codec = codec;
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.snapshotTimeout()).build();
    }

    /** The snapshot as JSON text (a {@code snapshot} server message), ready to send to a device. */
    public CompletableFuture<String> fetchJson(String userId) {
        URI uri = properties.processorUrl().resolve("/internal/v1/snapshot?user_id="
                + URLEncoder.encode(userId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.snapshotTimeout()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw new CompletionException(unavailable("the state processor is unreachable: " + error.getMessage()));
            }
            if (response.statusCode() != 200) {
                throw new CompletionException(unavailable("the state processor answered " + response.statusCode()));
            }
            return response.body();
        });
    }

    /** The snapshot JSON, waiting for it. */
    public String json(String userId) {
        try {
            return fetchJson(userId).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof SyncException sync ? sync : unavailable(e.getMessage());
        }
    }

    public Snapshot fetch(String userId) {
        return (Snapshot) codec.decodeServer(json(userId));
    }

    private static SyncException unavailable(String message) {
        return new SyncException(ErrorCode.UNAVAILABLE, message);
    }
}
