package dev.mediasync.gateway.rest;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.Problems;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every REST error is problem+json with a {@code code}: protocol refusals with their code's status,
 * the framework's own answers (unknown path, wrong method or media type, unreadable body) with the
 * code of their status, and anything unexpected as {@code internal} (logged).
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    /** A fail-over of the log or the processor takes seconds, and resending is safe. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    @ExceptionHandler(SyncException.class)
    public ResponseEntity<ProblemDetail> refused(SyncException e) {
        return Problems.response(e, "Bearer", RETRY_AFTER);
    }

    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        if (e.getCause() instanceof SyncException sync) {
            return refused(sync); // e.g. a body over the limit, found while a converter read it
        }
        log.error("Unexpected failure of a REST request", e);
        return refused(new SyncException(ErrorCode.INTERNAL, "the request failed (" + e.getClass().getSimpleName()
                + "); nothing was written"));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            problem.setProperty("code", ErrorCode.forStatus(status.value()).wire());
        }
        return response;
    }
}
