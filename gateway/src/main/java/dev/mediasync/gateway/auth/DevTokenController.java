package dev.mediasync.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.JsonFields;
import dev.mediasync.protocol.MessageCodec;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Mints HS256 tokens for local use; only exists when {@code sync.security.dev-tokens=true}. */
@RestController
@ConditionalOnBooleanProperty("sync.security.dev-tokens")
public class DevTokenController {

    private final AuthProperties properties;
    private final MACSigner signer;
    private final MessageCodec codec;

    public DevTokenController(AuthProperties properties, MessageCodec codec) throws JOSEException {
        this.properties = properties;
        this.signer = new MACSigner(TokenVerifier.secret(properties));
        this.codec = codec;
    }

    @PostMapping(path = "/api/v1/dev/token", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, String> token(@RequestBody String body) throws JOSEException {
        JsonFields fields = JsonFields.of(codec.parse(body));
        String user = Ids.userId(fields.string("user_id"), "user_id");
        String device = fields.has("device_id") ? Ids.deviceId(fields.string("device_id"), "device_id") : null;
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.devTokenTtl())));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            claims.issuer(properties.issuer());
        }
        if (device != null) {
            claims.claim(TokenVerifier.DEVICE_CLAIM, device);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(signer);
        return Map.of("token", jwt.serialize());
    }
}
