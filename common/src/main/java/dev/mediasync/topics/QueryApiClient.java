package dev.mediasync.topics;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls a processor's batch query API ({@link QueryApi#SNAPSHOTS_PATH}) with the shared token: the gateways
 * read snapshots with it, and a processor forwards users it does not own to the one that does.
 */
public final class QueryApiClient {

    private final HttpClient http;
    private final String token;
    private final Duration timeout;

    /** @param timeout for connecting and for the whole answer */
    public QueryApiClient(String token, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.token = token;
        this.timeout = timeout;
    }

    /**
     * Asks {@code base} for the users' snapshots without waiting.
     *
     * @param forwarded the caller is a processor: the instance asked answers locally or refuses
     * @return one line and version per user, in order; or fails with an {@code unavailable}
     *         {@link SyncException} when the instance is unreachable or answers anything else
     */
    public CompletableFuture<QueryApi.BatchAnswer> snapshots(URI base, List<String> userIds, boolean forwarded) {
        URI uri = base.resolve(QueryApi.SNAPSHOTS_PATH + (forwarded ? "?forwarded=true" : ""));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header(QueryApi.TOKEN_HEADER, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(QueryApi.batchRequest(userIds))).build();
        String who = "the state processor at " + uri.getAuthority();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw unavailable(who + " is unreachable: " + error.getMessage());
            }
            if (response.statusCode() != 200) {
                throw unavailable(who + " answered " + response.statusCode());
            }
            QueryApi.BatchAnswer answer = QueryApi.BatchAnswer.read(response.body(),
                    response.headers().firstValue(QueryApi.VERSIONS_HEADER).orElse(""));
            if (!answer.answers(userIds.size())) {
                throw unavailable(who + " answered " + answer.lines().size() + " snapshots for "
                        + userIds.size() + " users");
            }
            return answer;
        });
    }

    /** The {@link SyncException} a failed {@link #snapshots} call carries. */
    public static SyncException failure(Throwable error) {
        return SyncException.of(error, cause -> "the snapshot read failed: " + cause.getMessage());
    }

    private static CompletionException unavailable(String message) {
        return new CompletionException(new SyncException(ErrorCode.UNAVAILABLE, message));
    }
}
