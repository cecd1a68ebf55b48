package dev.mediasync.gateway.rest;

import dev.mediasync.error.SyncException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem details for protocol refusals: the status of the code, the message, the code itself. */
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

    /** The problem as bytes, for answers written outside Spring MVC (the WebSocket upgrade). */
    public static byte[] json(SyncException e) {
        HttpStatus status = HttpStatus.valueOf(e.code().httpStatus());
        return JSON.writeValueAsString(Map.of("type", "about:blank", "title", status.getReasonPhrase(),
                "status", status.value(), "detail", e.getMessage(), "code", e.code().wire()))
                .getBytes(StandardCharsets.UTF_8);
    }
}
