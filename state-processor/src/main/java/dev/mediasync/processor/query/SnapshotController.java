package dev.mediasync.processor.query;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.Problems;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.topics.QueryApi;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import dev.mediasync.protocol.Ids;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal query API the gateway reads snapshots from. Not for devices: it answers for any user id,
 * so it serves only callers that present the shared query token, on the service port (the actuator has
 * a port of its own, so the two can be exposed differently).
 */
@RestController
public class SnapshotController {

    /** A partition that moves or restores comes back within seconds with standby replicas. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final SnapshotQuery query;
    private final byte[] token;

    public SnapshotController(SnapshotQuery query, ProcessorProperties properties) {
        this.query = query;
        String token = properties.queryToken();
        if (token == null || token.length() < MIN_TOKEN_CHARS) {
            throw new IllegalStateException("set sync.processor.query-token (SYNC_PROCESSOR_QUERY_TOKEN) to a secret "
                    + "of at least " + MIN_TOKEN_CHARS + " characters; the gateways send it to read snapshots");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    static final int MIN_TOKEN_CHARS = 16;

    @GetMapping(path = QueryApi.SNAPSHOT_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> snapshot(@RequestHeader(name = QueryApi.TOKEN_HEADER, required = false) String presented,
                           @RequestParam("user_id") String userId,
                           @RequestParam(name = "forwarded", defaultValue = "false") boolean forwarded) {
        authorize(presented);
        SnapshotQuery.Answer answer = query.snapshot(Ids.userId(userId, "user_id"), forwarded);
        return ResponseEntity.ok().header(QueryApi.VERSION_HEADER, Long.toString(answer.version()))
                .contentType(MediaType.APPLICATION_JSON).body(answer.json());
    }

    /** Several users in one request: what a gateway asks while many devices connect at once. */
    @PostMapping(path = QueryApi.SNAPSHOTS_PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = QueryApi.NDJSON)
    public ResponseEntity<byte[]> snapshots(@RequestHeader(name = QueryApi.TOKEN_HEADER, required = false) String presented,
                                            @RequestBody List<String> userIds,
                                            @RequestParam(name = "forwarded", defaultValue = "false") boolean forwarded) {
        authorize(presented);
        if (userIds.isEmpty() || userIds.size() > QueryApi.MAX_BATCH_USERS) {
            throw SyncException.badRequest("ask for 1 to " + QueryApi.MAX_BATCH_USERS + " users, not " + userIds.size());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        StringJoiner versions = new StringJoiner(",");
        for (SnapshotQuery.Answer answer : query.snapshots(userIds, forwarded)) {
            body.writeBytes(answer.json());
            body.write('\n');
            versions.add(QueryApi.versionEntry(answer.version()));
        }
        return ResponseEntity.ok().header(QueryApi.VERSIONS_HEADER, versions.toString())
                .contentType(MediaType.parseMediaType(QueryApi.NDJSON)).body(body.toByteArray());
    }

    private void authorize(String presented) {
        if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new SyncException(ErrorCode.UNAUTHORIZED, "the query API needs the " + QueryApi.TOKEN_HEADER
                    + " header with the configured query token");
        }
    }

    @ExceptionHandler(SyncException.class)
    public ResponseEntity<ProblemDetail> refused(SyncException e) {
        return Problems.response(e, null, RETRY_AFTER);
    }
}
