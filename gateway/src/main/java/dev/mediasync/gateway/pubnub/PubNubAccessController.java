package dev.mediasync.gateway.pubnub;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.auth.TokenVerifier;
import dev.mediasync.gateway.auth.VerifiedToken;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/pubnub/token}: a PubNub Access Manager token for the calling device, read-only on
 * its own user's channels (see {@link PubNubGrants}). 404 {@code not_found} when this gateway has no
 * PubNub secret key configured.
 */
@RestController
public class PubNubAccessController {

    private final ObjectProvider<PubNubGrants> grants;
    private final TokenVerifier verifier;
    private final PubNubAccessProperties properties;

    public PubNubAccessController(ObjectProvider<PubNubGrants> grants, TokenVerifier verifier,
                                  PubNubAccessProperties properties) {
        this.grants = grants;
        this.verifier = verifier;
        this.properties = properties;
    }

    @PostMapping("/api/v1/pubnub/token")
    public Map<String, Object> token(AuthenticatedDevice caller,
                                     @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        PubNubGrants pubnub = grants.getIfAvailable();
        if (pubnub == null) {
            throw new SyncException(ErrorCode.NOT_FOUND, "PubNub access is not configured on this gateway "
                    + "(sync.pubnub.subscribe-key and sync.pubnub.secret-key)");
        }
        VerifiedToken token = verifier.verifyToken(TokenVerifier.bearer(authorization), caller.deviceId(),
                caller.deviceId());
        PubNubGrants.Grant grant = pubnub.grant(caller, token.expiresAt(), Instant.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", grant.token());
        body.put("pubnub_user_id", grant.pubnubUserId());
        body.put("subscribe_key", properties.subscribeKey());
        body.put("channels", grant.channels());
        body.put("expires_at", grant.expiresAt().toEpochMilli());
        return body;
    }
}
