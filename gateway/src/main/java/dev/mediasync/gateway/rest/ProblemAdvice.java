package dev.mediasync.gateway.rest;

import dev.mediasync.error.SyncException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every protocol refusal on REST becomes problem+json with the code's HTTP status. */
@RestControllerAdvice
public class ProblemAdvice {

    @ExceptionHandler(SyncException.class)
    public ResponseEntity<ProblemDetail> refused(SyncException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.code().httpStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.code().httpStatus() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.body(Problems.of(e));
    }
}
