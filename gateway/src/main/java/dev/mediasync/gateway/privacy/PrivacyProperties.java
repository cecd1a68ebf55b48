package dev.mediasync.gateway.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sealing ops with per-user data keys, and erasing users, bound from {@code sync.privacy.*}.
 *
 * @param kek the key-encryption key that wraps every data key: 32 bytes in base64 (the same in every
 *     gateway, processor and relay); empty: ops go into the log unsealed (a warning at start)
 * @param maxCachedKeys users whose data key this gateway keeps in memory; a user it forgot gets a new key
 *     (one more small record in {@code sync.keys.v1})
 * @param operatorToken the credential of {@code DELETE /api/v1/admin/users/{user_id}} (bin/sync-erase),
 *     sent as a bearer token; empty: operators cannot erase over HTTP
 */
@ConfigurationProperties("sync.privacy")
public record PrivacyProperties(
        @DefaultValue("") String kek,
        @DefaultValue("100000") int maxCachedKeys,
        @DefaultValue("") String operatorToken) {

    public boolean sealing() {
        return !kek.isBlank();
    }
}
