package dev.mediasync.gateway.snapshot;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.GatewayProperties;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.topics.QueryApi;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Reads a user's snapshot from the state processors' query API (any instance; it forwards to the owner). */
@Component
public class SnapshotClient {

    private final HttpClient http;
    private final String token;
    private final MessageCodec codec;
    private final GatewayProperties properties;
    private final List<URI> urls;
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    public SnapshotClient(MessageCodec codec, GatewayProperties properties) {
        this.codec = codec;
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.snapshotTimeout()).build();
        if (properties.processorToken() == null || properties.processorToken().isBlank()) {
            throw new IllegalStateException("set sync.gateway.processor-token (SYNC_GATEWAY_PROCESSOR_TOKEN) to the "
                    + "processor's sync.processor.query-token");
        }
        this.token = properties.processorToken();
        this.urls = List.copyOf(properties.processorUrl());
        if (urls.isEmpty()) {
            throw new IllegalStateException("set sync.gateway.processor-url (SYNC_GATEWAY_PROCESSOR_URL) to the "
                    + "processors' query API, one URL or several separated by commas");
        }
    }

    /** A snapshot as JSON text (a {@code snapshot} server message), ready to send, and its version. */
    public record SnapshotJson(String json, long version) {
    }

    /**
     * Reads the user's snapshot without waiting; the version comes from a header, the body is not parsed.
     * Any processor instance answers for any user (it forwards to the owner), so the configured URLs are
     * taken in turn, and one that fails passes the read to the next.
     */
    public CompletableFuture<SnapshotJson> read(String userId) {
        int first = Math.floorMod(nextUrl.getAndIncrement(), urls.size());
        inFlight.incrementAndGet();
        return readFrom(userId, first, 0).whenComplete((snapshot, error) -> inFlight.decrementAndGet());
    }

    /** Snapshot reads started and not yet answered (see {@code ConnectAdmission}). */
    public int inFlight() {
        return inFlight.get();
    }

    private CompletableFuture<SnapshotJson> readFrom(String userId, int first, int tried) {
        URI uri = urls.get((first + tried) % urls.size()).resolve(QueryApi.SNAPSHOT_PATH + "?user_id="
                + URLEncoder.encode(userId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.snapshotTimeout())
                .header(QueryApi.TOKEN_HEADER, token).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw new CompletionException(unavailable("the state processor at " + uri.getAuthority()
                        + " is unreachable: " + error.getMessage()));
            }
            if (response.statusCode() != 200) {
                throw new CompletionException(unavailable("the state processor at " + uri.getAuthority()
                        + " answered " + response.statusCode()));
            }
            long version = response.headers().firstValueAsLong(QueryApi.VERSION_HEADER)
                    .orElseGet(() -> ((Snapshot) codec.decodeServer(response.body())).version());
            return new SnapshotJson(response.body(), version);
        }).exceptionallyCompose(failure -> tried + 1 < urls.size()
                ? readFrom(userId, first, tried + 1) : CompletableFuture.failedFuture(failure));
    }

    /** The snapshot JSON, waiting for it. */
    public String json(String userId) {
        try {
            return read(userId).join().json();
        } catch (CompletionException e) {
            throw e.getCause() instanceof SyncException sync ? sync : unavailable(e.getMessage());
        }
    }

    /** The decoded snapshot, waiting for it. */
    public Snapshot snapshot(String userId) {
        return (Snapshot) codec.decodeServer(json(userId));
    }

    private static SyncException unavailable(String message) {
        return new SyncException(ErrorCode.UNAVAILABLE, message);
    }
}
