package dev.mediasync.error;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details for protocol refusals, the same from every HTTP service: the status of the
 * code, the message as {@code detail}, the code itself as {@code code}.
 */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static ProblemDetail of(SyncException e) {
        HttpStatus status = HttpStatus.valueOf(e.code().httpStatus());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("code", e.code().wire());
        return problem;
    }

    /**
     * The whole answer: with a 401 a {@code WWW-Authenticate} of {@code authScheme} (none when null), with
     * {@code unavailable} a {@code Retry-After} of {@code retryAfter} (what a fail-over of this service
     * takes; resending is safe).
     */
    public static ResponseEntity<ProblemDetail> response(SyncException e, String authScheme, Duration retryAfter) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.code().httpStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.code().httpStatus() == 401 && authScheme != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, authScheme);
        } else if (e.code() == ErrorCode.UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
        }
        return response.body(of(e));
    }

    /** The problem as bytes, for answers written outside Spring MVC (a servlet filter, the WebSocket upgrade). */
    public static byte[] json(SyncException e) {
        return json(e, Map.of());
    }

    /** The same with further members, e.g. {@code retry_after_ms}. */
    public static byte[] json(SyncException e, Map<String, Object> more) {
        HttpStatus status = HttpStatus.valueOf(e.code().httpStatus());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", e.getMessage());
        problem.put("code", e.code().wire());
        problem.putAll(more);
        return JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
    }
}
