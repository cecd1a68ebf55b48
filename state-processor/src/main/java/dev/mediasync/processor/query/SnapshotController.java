package dev.mediasync.processor.query;

import dev.mediasync.error.SyncException;
import dev.mediasync.protocol.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal query API the gateway reads snapshots from. Not for devices: it trusts the caller with
 * any user id, so it is served on the cluster network only.
 */
@RestController
public class SnapshotController {

    private final SnapshotQuery query;

    public SnapshotController(SnapshotQuery query) {
        this.query = query;
    }

    @GetMapping(path = SnapshotQuery.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] snapshot(@RequestParam("user_id") String userId,
                           @RequestParam(name = "forwarded", defaultValue = "false") boolean forwarded) {
        return query.snapshot(Ids.userId(userId, "user_id"), forwarded);
    }

    @ExceptionHandler(SyncException.class)
    public ResponseEntity<ProblemDetail> refused(SyncException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.code().httpStatus()),
                e.getMessage());
        problem.setProperty("code", e.code().wire());
        return ResponseEntity.status(e.code().httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
