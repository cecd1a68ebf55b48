package dev.mediasync.gateway.rest;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistUpdate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Watchlist and progress over REST: writes are ops like any device's, reads come from the snapshot. */
@RestController
@RequestMapping(path = "/api/v1/sync", produces = MediaType.APPLICATION_JSON_VALUE)
public class SyncController {

    private final RestOps ops;
    private final SnapshotClient snapshots;
    private final MessageCodec codec;

    public SyncController(RestOps ops, SnapshotClient snapshots, MessageCodec codec) {
        this.ops = ops;
        this.snapshots = snapshots;
        this.codec = codec;
    }

    @PostMapping(path = "/watchlist", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, String>> updateWatchlist(AuthenticatedDevice caller,
                                                                 @RequestBody(required = false) String body) {
        return ops.submit(caller, ops.decode(WatchlistUpdate.TYPE, body)).thenApply(SyncController::accepted);
    }

    @GetMapping("/watchlist")
    public JsonNode watchlist(AuthenticatedDevice caller, @RequestParam(required = false) String cursor,
                              @RequestParam(required = false) Integer limit) {
        Page page = Page.of(cursor, limit);
        ObjectNode snapshot = snapshotJson(caller);
        ObjectNode answer = snapshot.objectNode();
        page.write(answer, "items", snapshot.get("watchlist"), "content_id");
        answer.set("timestamp", snapshot.get("timestamp"));
        return answer;
    }

    @PostMapping(path = "/progress", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, String>> updateProgress(AuthenticatedDevice caller,
                                                                @RequestBody(required = false) String body) {
        return ops.submit(caller, ops.decode(ProgressUpdate.TYPE, body)).thenApply(SyncController::accepted);
    }

    /** One page of titles by content id, split into in progress and completed. */
    @GetMapping("/progress")
    public JsonNode progress(AuthenticatedDevice caller, @RequestParam(required = false) String cursor,
                             @RequestParam(required = false) Integer limit) {
        Page page = Page.of(cursor, limit);
        ObjectNode snapshot = snapshotJson(caller);
        ObjectNode titles = snapshot.objectNode();
        page.write(titles, "titles", snapshot.get("progress"), "content_id");
        ObjectNode answer = snapshot.objectNode();
        ArrayNode inProgress = answer.putArray("in_progress");
        ArrayNode completed = answer.putArray("completed");
        for (JsonNode title : titles.get("titles")) {
            (title.get("completed").booleanValue() ? completed : inProgress).add(title);
        }
        if (titles.has("next_cursor")) {
            answer.set("next_cursor", titles.get("next_cursor"));
        }
        return answer;
    }

    /** Takes a title out of "continue watching" ({@code progress_remove}). */
    @DeleteMapping("/progress/{contentId}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, String>> removeProgress(AuthenticatedDevice caller, @PathVariable String contentId) {
        return ops.submit(caller, ops.decode(ProgressRemove.TYPE, null, "content_id",
                Ids.contentId(contentId, "content_id"))).thenApply(SyncController::accepted);
    }

    @GetMapping("/progress/{contentId}")
    public ResponseEntity<String> progressOf(AuthenticatedDevice caller, @PathVariable String contentId) {
        Ids.contentId(contentId, "content_id");
        Snapshot snapshot = snapshots.snapshot(caller.userId());
        ProgressState state = snapshot.progress().stream().filter(p -> p.contentId().equals(contentId)).findFirst()
                .orElseThrow(() -> new SyncException(ErrorCode.NOT_FOUND, "no progress for " + contentId));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(codec.encode(state));
    }

    private ObjectNode snapshotJson(AuthenticatedDevice caller) {
        return (ObjectNode) codec.parse(snapshots.json(caller.userId()));
    }

    static Map<String, String> accepted(Ack ack) {
        return Map.of("op_id", ack.opId(), "timestamp", ack.timestamp().toString());
    }
}
