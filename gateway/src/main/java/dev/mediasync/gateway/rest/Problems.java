package dev.mediasync.gateway.rest;

import dev.mediasync.error.SyncException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
