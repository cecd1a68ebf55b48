package dev.mediasync.gateway.snapshot;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.topics.QueryApi;
import dev.mediasync.topics.QueryApiClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Reads users' snapshots from the state processors' query API (any instance; it forwards to the owner).
 * At most {@code snapshot-requests} requests are out at once; reads that come meanwhile wait and go
 * together in the next request (up to {@link QueryApi#MAX_BATCH_USERS} users), so a crowd of devices
 * connecting costs few requests on either side, and a device connecting alone is read at once.
 */
@Component
public class SnapshotClient {

    private final QueryApiClient queryApi;
    private final MessageCodec codec;
    private final GatewayProperties properties;
    private final List<URI> urls;
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final Queue<Read> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requestsOut = new AtomicInteger();

    public SnapshotClient(MessageCodec codec, GatewayProperties properties) {
        this.codec = codec;
        this.properties = properties;
        if (properties.processorToken() == null || properties.processorToken().isBlank()) {
            throw new IllegalStateException("set sync.gateway.processor-token (SYNC_GATEWAY_PROCESSOR_TOKEN) to the "
                    + "processor's sync.processor.query-token");
        }
        this.queryApi = new QueryApiClient(properties.processorToken(), properties.snapshotTimeout());
        this.urls = List.copyOf(properties.processorUrl());
        if (urls.isEmpty()) {
            throw new IllegalStateException("set sync.gateway.processor-url (SYNC_GATEWAY_PROCESSOR_URL) to the "
                    + "processors' query API, one URL or several separated by commas");
        }
    }

    /** A snapshot as JSON text (a {@code snapshot} server message), ready to send, and its version. */
    public record SnapshotJson(String json, long version) {
    }

    private record Read(String userId, CompletableFuture<SnapshotJson> result) {
    }

    /** Reads the user's snapshot without waiting; the body is not parsed (the version comes in a header). */
    public CompletableFuture<SnapshotJson> read(String userId) {
        CompletableFuture<SnapshotJson> result = new CompletableFuture<>();
        queued.add(new Read(userId, result));
        sendQueued();
        return result;
    }

    /**
     * Sends what is queued while fewer than the allowed requests are out. Whoever queues a read and whoever
     * ends a request both call this, so no read is left behind.
     */
    private void sendQueued() {
        while (!queued.isEmpty()) {
            int out = requestsOut.get();
            if (out >= properties.snapshotRequests()) {
                return;
            }
            if (!requestsOut.compareAndSet(out, out + 1)) {
                continue;
            }
            List<Read> batch = new ArrayList<>();
            for (Read read; batch.size() < QueryApi.MAX_BATCH_USERS && (read = queued.poll()) != null; ) {
                batch.add(read);
            }
            if (batch.isEmpty()) {
                requestsOut.decrementAndGet();
                continue;
            }
            int first = Math.floorMod(nextUrl.getAndIncrement(), urls.size());
            readFrom(batch.stream().map(Read::userId).toList(), first, 0).whenComplete((answer, error) -> {
                requestsOut.decrementAndGet();
                deliver(batch, answer, error);
                sendQueued();
            });
        }
    }

    private void deliver(List<Read> batch, QueryApi.BatchAnswer answer, Throwable error) {
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<SnapshotJson> result = batch.get(i).result();
            if (error != null) {
                result.completeExceptionally(QueryApiClient.failure(error));
            } else if (answer.versions()[i] != QueryApi.NOT_A_SNAPSHOT) {
                result.complete(new SnapshotJson(answer.lines().get(i), answer.versions()[i]));
            } else {
                result.completeExceptionally(refusal(answer.lines().get(i)));
            }
        }
    }

    /** The processor's error line for one user (its partition cannot be read now), as the error it carries. */
    private SyncException refusal(String line) {
        try {
            return ((ErrorMessage) codec.decodeServer(line)).toException();
        } catch (RuntimeException e) {
            return unavailable("the state processor answered neither a snapshot nor an error: " + e.getMessage());
        }
    }

    /** One batch request; the configured URLs are taken in turn, and one that fails passes it to the next. */
    private CompletableFuture<QueryApi.BatchAnswer> readFrom(List<String> userIds, int first, int tried) {
        return queryApi.snapshots(urls.get((first + tried) % urls.size()), userIds, false)
                .exceptionallyCompose(failure -> tried + 1 < urls.size()
                        ? readFrom(userIds, first, tried + 1) : CompletableFuture.failedFuture(failure));
    }

    /** The snapshot JSON, waiting for it. */
    public String json(String userId) {
        try {
            return read(userId).join().json();
        } catch (CompletionException e) {
            throw QueryApiClient.failure(e);
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
