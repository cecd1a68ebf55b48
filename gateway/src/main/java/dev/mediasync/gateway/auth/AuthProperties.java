package dev.mediasync.gateway.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers prove who they are, bound from {@code sync.security.*}.
 *
 * @param jwtSecret HS256 secret (at least 32 bytes) that signs and verifies tokens
 * @param jwksUri verify RS256/ES256 tokens against this JWK set instead (production identity providers)
 * @param issuer tokens must carry this {@code iss}; required with {@code jwks-uri}
 * @param audience tokens must list this {@code aud}; required with {@code jwks-uri}
 * @param maxTokenLifetime tokens valid for longer (from {@code iat}, or from now) are refused
 * @param devTokens serve {@code POST /api/v1/dev/token}; for local use only
 * @param devTokenTtl lifetime of a dev token
 */
@ConfigurationProperties("sync.security")
public record AuthProperties(
        String jwtSecret,
        String jwksUri,
        String issuer,
        String audience,
        @DefaultValue("24h") Duration maxTokenLifetime,
        @DefaultValue("false") boolean devTokens,
        @DefaultValue("12h") Duration devTokenTtl) {
}
