package dev.mediasync.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.support.Properties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String SECRET = "unit-test-secret-0123456789-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final TokenVerifier verifier = new TokenVerifier(Properties.auth("jwt-secret", SECRET,
            "audience", "media-sync", "max-token-lifetime", "24h"), Clock.fixed(NOW, ZoneOffset.UTC));

    private static String token(String secret, Consumer<JWTClaimsSet.Builder> claims) throws Exception {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("alice").audience("media-sync")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static void assertRefused(ErrorCode code, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SyncException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void aValidTokenNamesTheUserTheBoundDeviceAndItsExpiry() throws Exception {
        VerifiedToken verified = verifier.verifyToken(token(SECRET, c -> c.claim("device_id", "tv-1")), null, null);

        assertThat(verified.device()).isEqualTo(new AuthenticatedDevice("alice", "tv-1"));
        assertThat(verified.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void refusesExpiredForgedAndOverlongTokensAsUnauthorized() throws Exception {
        String expired = token(SECRET, c -> c.issueTime(Date.from(NOW.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(NOW.minus(Duration.ofHours(1)))));
        String forged = token("another-secret-0123456789-0123456789", c -> { });
        String overlong = token(SECRET, c -> c.expirationTime(Date.from(NOW.plus(Duration.ofDays(30)))));

        assertRefused(ErrorCode.UNAUTHORIZED, () -> verifier.verify(expired, "tv-1", null));
        assertRefused(ErrorCode.UNAUTHORIZED, () -> verifier.verify(forged, "tv-1", null));
        assertRefused(ErrorCode.UNAUTHORIZED, () -> verifier.verify(overlong, "tv-1", null));
        assertRefused(ErrorCode.UNAUTHORIZED, () -> verifier.verify(null, "tv-1", null));
    }

    @Test
    void refusesATokenForAnotherAudience() throws Exception {
        String other = token(SECRET, c -> c.audience("billing"));

        assertRefused(ErrorCode.UNAUTHORIZED, () -> verifier.verify(other, "tv-1", null));
    }

    @Test
    void refusesATokenBoundToAnotherDeviceAsForbidden() throws Exception {
        String forTv = token(SECRET, c -> c.claim("device_id", "tv-1"));

        assertRefused(ErrorCode.FORBIDDEN, () -> verifier.verify(forTv, "phone", null));
    }

    @Test
    void aJwkSetWithoutIssuerAndAudienceIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new TokenVerifier(Properties.auth("jwks-uri", "https://id.example/jwks.json")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sync.security.audience");
    }
}
