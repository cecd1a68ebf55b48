package dev.mediasync.gateway.rest;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.auth.TokenVerifier;
import dev.mediasync.gateway.ops.OpSubmitter;
import dev.mediasync.gateway.ops.RateLimiter;
import dev.mediasync.gateway.privacy.PrivacyProperties;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.UserErase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Erasing a user: by the user ({@code DELETE /api/v1/users/me?confirm=<their user id>}) or by an operator
 * ({@code DELETE /api/v1/admin/users/{user_id}} with the operator token, {@code bin/sync-erase}). Both write
 * one {@code user_erase} op to the user's partition and answer 202 once the log has it; the processor does
 * the rest (docs/privacy.md).
 */
@RestController
public class EraseController {

    private final OpSubmitter ops;
    private final PrivacyProperties properties;
    private final RateLimiter rateLimiter;

    public EraseController(OpSubmitter ops, PrivacyProperties properties, RateLimiter rateLimiter) {
        this.ops = ops;
        this.properties = properties;
        this.rateLimiter = rateLimiter;
    }

    @DeleteMapping(path = "/api/v1/users/me", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, Object>> eraseMe(AuthenticatedDevice caller,
                                                          @RequestParam(required = false) String confirm) {
        rateLimiter.acquireWrite(caller); // a write like any other: repeated erases cannot flood the log
        if (!caller.userId().equals(confirm)) {
            throw SyncException.badRequest("erasing your account cannot be undone: confirm it with "
                    + "?confirm=<your user id>");
        }
        return erase(caller.userId(), UserErase.RequestedBy.USER);
    }

    @DeleteMapping(path = "/api/v1/admin/users/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, Object>> eraseByOperator(
            @PathVariable String userId, @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        if (properties.operatorToken().isBlank()) {
            throw new SyncException(ErrorCode.FORBIDDEN, "operator erasure is off: set sync.privacy.operator-token");
        }
        String bearer = TokenVerifier.bearer(authorization);
        String presented = bearer == null ? "" : bearer;
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                properties.operatorToken().getBytes(StandardCharsets.UTF_8))) {
            throw new SyncException(ErrorCode.UNAUTHORIZED, "the operator token is missing or wrong");
        }
        return erase(Ids.userId(userId, "user_id"), UserErase.RequestedBy.OPERATOR);
    }

    private CompletableFuture<Map<String, Object>> erase(String userId, UserErase.RequestedBy by) {
        UserErase erase = new UserErase("erase-" + UUID.randomUUID(), by);
        return ops.erase(userId, erase).thenApply(offset -> Map.of("user_id", userId, "op_id", erase.opId(),
                "status", "erasing"));
    }
}
