package dev.mediasync.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.protocol.Ids;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Verifies bearer tokens: signature (HS256 with the configured secret, or the keys of a JWK set), expiry,
 * a lifetime no longer than {@code max-token-lifetime}, and the issuer and audience (required with a JWK
 * set, whose keys an identity provider uses for other services too). The {@code sub} claim is the user;
 * an optional {@code device_id} claim binds the token to one device.
 */
@Component
public class TokenVerifier {

    /** The claim that binds a token to one device. */
    public static final String DEVICE_CLAIM = "device_id";
    static final int MIN_SECRET_BYTES = 32;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Duration maxLifetime;
    private final Clock clock;

    @Autowired
    public TokenVerifier(AuthProperties properties) {
        this(properties, Clock.systemUTC());
    }

    TokenVerifier(AuthProperties properties, Clock clock) {
        this.maxLifetime = properties.maxTokenLifetime();
        this.clock = clock;
        JWKSource<SecurityContext> keys;
        Set<JWSAlgorithm> algorithms;
        if (properties.jwksUri() != null && !properties.jwksUri().isBlank()) {
            try {
                keys = JWKSourceBuilder.create(URI.create(properties.jwksUri()).toURL()).build();
            } catch (MalformedURLException e) {
                throw new IllegalStateException("sync.security.jwks-uri is not a URL: " + properties.jwksUri(), e);
            }
            algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
            if (isBlank(properties.issuer()) || isBlank(properties.audience())) {
                throw new IllegalStateException("with sync.security.jwks-uri, set sync.security.issuer and "
                        + "sync.security.audience: the identity provider's keys sign tokens for other services too");
            }
        } else {
            keys = new ImmutableSecret<>(secret(properties));
            algorithms = Set.of(JWSAlgorithm.HS256);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!isBlank(properties.issuer())) {
            exact.issuer(properties.issuer());
        }
        Set<String> audience = isBlank(properties.audience()) ? null : Set.of(properties.audience());
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, exact.build(),
                Set.of("sub", "exp"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(TokenVerifier.this.clock.instant());
            }
        });
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The token of an {@code Authorization: Bearer …} header, or {@code null}. */
    public static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    static byte[] secret(AuthProperties properties) {
        String secret = properties.jwtSecret();
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("set sync.security.jwt-secret (SYNC_SECURITY_JWT_SECRET) to at least "
                    + MIN_SECRET_BYTES + " bytes, or sync.security.jwks-uri");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param requestedDevice the device the caller says it is, or {@code null}
     * @throws SyncException {@code unauthorized} for a missing, forged or expired token, {@code forbidden}
     *     when the token is bound to another device, {@code bad_request} for a malformed device id
     */
    public AuthenticatedDevice verify(String token, String requestedDevice, String defaultDevice) {
        return verifyToken(token, requestedDevice, defaultDevice).device();
    }

    /** As {@link #verify}, with the token's expiry. */
    public VerifiedToken verifyToken(String token, String requestedDevice, String defaultDevice) {
        if (token == null || token.isBlank()) {
            throw new SyncException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new SyncException(ErrorCode.UNAUTHORIZED, "invalid token: " + e.getMessage());
        }
        Instant expires = claims.getExpirationTime().toInstant();
        Instant issued = claims.getIssueTime() == null ? clock.instant() : claims.getIssueTime().toInstant();
        if (Duration.between(issued, expires).compareTo(maxLifetime) > 0) {
            throw new SyncException(ErrorCode.UNAUTHORIZED, "invalid token: valid for longer than the accepted "
                    + maxLifetime.toHours() + " h");
        }
        String user = Ids.userId(claims.getSubject(), "sub");
        String bound;
        try {
            bound = claims.getStringClaim(DEVICE_CLAIM);
        } catch (ParseException e) {
            throw new SyncException(ErrorCode.UNAUTHORIZED, "invalid token: device_id must be a string");
        }
        if (bound != null && requestedDevice != null && !bound.equals(requestedDevice)) {
            throw new SyncException(ErrorCode.FORBIDDEN, "the token is for device " + bound + ", not " + requestedDevice);
        }
        String device = requestedDevice != null ? requestedDevice : bound != null ? bound : defaultDevice;
        if (device == null) {
            throw SyncException.badRequest("device_id is required (query parameter or token claim)");
        }
        return new VerifiedToken(new AuthenticatedDevice(user, Ids.deviceId(device, "device_id")), expires);
    }
}
