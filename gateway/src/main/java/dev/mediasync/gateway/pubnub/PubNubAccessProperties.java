package dev.mediasync.gateway.pubnub;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PubNub Access Manager on the gateway, bound from {@code sync.pubnub.*}: with a subscribe key and the
 * keyset's secret key ({@code PUBNUB_SUBSCRIBE_KEY}, {@code PUBNUB_SECRET_KEY}) devices can get a
 * read-only token for their own user's channels at {@code POST /api/v1/pubnub/token}. The secret key
 * never leaves the server.
 *
 * @param subscribeKey the keyset's subscribe key
 * @param secretKey the keyset's secret key (grants are signed with it)
 * @param origin PubNub host (a local stand-in in tests)
 * @param secure TLS to the origin
 * @param maxTtl the longest grant; a grant also ends when the caller's JWT does
 * @param grantTimeout how long a device's token request waits for PubNub before it gets {@code unavailable}
 * @param maxPendingGrants grants waiting for PubNub at once, across all users; more get {@code unavailable}
 */
@ConfigurationProperties("sync.pubnub")
public record PubNubAccessProperties(
        String subscribeKey,
        String secretKey,
        @DefaultValue("ps.pndsn.com") String origin,
        @DefaultValue("true") boolean secure,
        @DefaultValue("24h") Duration maxTtl,
        @DefaultValue("5s") Duration grantTimeout,
        @DefaultValue("32") int maxPendingGrants) {

    public boolean enabled() {
        return subscribeKey != null && !subscribeKey.isBlank() && secretKey != null && !secretKey.isBlank();
    }
}
