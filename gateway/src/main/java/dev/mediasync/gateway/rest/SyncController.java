package dev.mediasync.gateway.rest;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistUpdate;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
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

    @PostMapping("/watchlist")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> updateWatchlist(AuthenticatedDevice caller, @RequestBody(required = false) String body) {
        return accepted(ops.submit(caller, ops.decode(WatchlistUpdate.TYPE, body)));
    }

    @GetMapping("/watchlist")
    public JsonNode watchlist(AuthenticatedDevice caller) {
        ObjectNode snapshot = snapshotJson(caller);
        ObjectNode answer = snapshot.objectNode();
        answer.set("items", snapshot.get("watchlist"));
        answer.set("timestamp", snapshot.get("timestamp"));
        return answer;
    }

    @PostMapping("/progress")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> updateProgress(AuthenticatedDevice caller, @RequestBody(required = false) String body) {
        return accepted(ops.submit(caller, ops.decode(ProgressUpdate.TYPE, body)));
    }

    @GetMapping("/progress")
    public JsonNode progress(AuthenticatedDevice caller) {
        ObjectNode snapshot = snapshotJson(caller);
        ObjectNode answer = snapshot.objectNode();
        ArrayNode inProgress = answer.putArray("in_progress");
        ArrayNode completed = answer.putArray("completed");
        for (JsonNode title : snapshot.get("progress")) {
            (title.get("completed").booleanValue() ? completed : inProgress).add(title);
        }
        return answer;
    }

    @GetMapping("/progress/{contentId}")
    public ResponseEntity<String> progressOf(AuthenticatedDevice caller, @PathVariable String contentId) {
        Ids.contentId(contentId, "content_id");
        Snapshot snapshot = snapshots.fetch(caller.userId());
        ProgressState state = snapshot.progress().stream().filter(p -> p.contentId().equals(contentId)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no progress for " + contentId));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(codec.encode(state));
    }

    private ObjectNode snapshotJson(AuthenticatedDevice caller) {
        return (ObjectNode) codec.parse(snapshots.json(caller.userId()));
    }

    static Map<String, String> accepted(Ack ack) {
        return Map.of("op_id", ack.opId(), "timestamp", ack.timestamp().toString());
    }
}
