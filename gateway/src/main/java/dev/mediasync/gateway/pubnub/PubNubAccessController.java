package dev.mediasync.gateway.pubnub;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.VerifiedToken;
import dev.mediasync.gateway.ops.RateLimiter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/pubnub/token}: a PubNub Access Manager token for the calling device, read-only on
 * its own user's channels (see {@link PubNubGrants}). 404 {@code not_found} when this gateway has no
 * PubNub secret key configured. Each grant is a call to PubNub, so it takes from the user's read bucket:
 * one user asking in a loop must not use up the keyset's grants for everyone. The request thread is
 * not held while PubNub answers (an asynchronous request).
 */
@RestController
public class PubNubAccessController {

    private final ObjectProvider<PubNubGrants> grants;
    private final RateLimiter rateLimiter;
    private final PubNubAccessProperties properties;

    public PubNubAccessController(ObjectProvider<PubNubGrants> grants, RateLimiter rateLimiter,
                                  PubNubAccessProperties properties) {
        this.grants = grants;
        this.rateLimiter = rateLimiter;
        this.properties = properties;
    }

    @PostMapping("/api/v1/pubnub/token")
    public CompletableFuture<Map<String, Object>> token(VerifiedToken caller) {
        PubNubGrants pubnub = grants.getIfAvailable();
        if (pubnub == null) {
            throw new SyncException(ErrorCode.NOT_FOUND, "PubNub access is not configured on this gateway "
                    + "(sync.pubnub.subscribe-key and sync.pubnub.secret-key)");
        }
        rateLimiter.acquireRead(caller.device().userId());
        return pubnub.grant(caller.device(), caller.expiresAt(), Instant.now()).thenApply(this::body);
    }

    private Map<String, Object> body(PubNubGrants.Grant grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", grant.token());
        body.put("pubnub_user_id", grant.pubnubUserId());
        body.put("subscribe_key", properties.subscribeKey());
        body.put("channels", grant.channels());
        body.put("expires_at", grant.expiresAt().toEpochMilli());
        return body;
    }
}
