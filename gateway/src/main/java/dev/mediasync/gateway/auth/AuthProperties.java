package dev.mediasync.gateway.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers prove who they are, bound from {@code sync.security.*}.
 *
 * @param jwtSecret HS256 secret (at least 32 bytes) that signs and verifies tokens
 * @param jwksUri verify RS256/ES256 tokens against this JWK set instead (production identity providers)
 * @param issuer when set, tokens must carry this {@code iss}
 * @param devTokens serve {@code POST /api/v1/dev/token}; for local use only
 * @param devTokenTtl lifetime of a dev token
 */
@ConfigurationProperties("sync.security")
public record AuthProperties(
        String jwtSecret,
        String jwksUri,
        String issuer,
        @DefaultValue("false") boolean devTokens,
        @DefaultValue("12h") Duration devTokenTtl) {
}
