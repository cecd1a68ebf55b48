package dev.mediasync.relay;

import dev.mediasync.topics.SyncTopics;
import dev.mediasync.topics.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The relay's settings, bound from {@code sync.relay.*} (keys also from {@code PUBNUB_PUBLISH_KEY} and
 * {@code PUBNUB_SUBSCRIBE_KEY}). Without both keys the relay stays off.
 *
 * @param publishKey PubNub publish key
 * @param subscribeKey PubNub subscribe key
 * @param secretKey PubNub secret key ({@code PUBNUB_SECRET_KEY}): with Access Manager on, the relay signs
 *     its requests with it (full access); devices get read-only tokens from the gateway instead
 * @param userId the PubNub user id the relay publishes as
 * @param origin PubNub host (a local stand-in in tests)
 * @param secure TLS to the origin
 * @param cipherKey when set, payloads are encrypted with the SDK's AES-CBC crypto module
 * @param store keep published messages in PubNub history, so devices can catch up
 * @param concurrency consumer threads; each owns some partitions, so one user's events stay in order
 * @param maxMessageSize PubNub refuses larger messages; they go to the dead-letter topic at once
 * @param requestTimeout how long one publish may take
 * @param retryAttempts tries per publish before the record is handed back to the consumer to retry later
 * @param retryBackoff first back-off between tries (exponential, with jitter)
 * @param breakerFailureRate per cent of failed publishes that opens the circuit breaker
 * @param breakerOpenFor how long the breaker stays open before it lets a trial publish through
 * @param announcementsTopic operator messages for {@code global.announcements} and {@code region.{code}.updates}
 * @param presenceInterval how often PubNub's here_now is read to bring devices present on PubNub into the
 *     device registry (as {@code device_presence} ops, session {@code pubnub}); 0 turns it off. Keep it
 *     below the processor's presence timeout (60 s): each look heartbeats the devices still there
 * @param presenceMaxDevices devices present on PubNub the relay tracks at most
 * @param presenceLeaseTopic one partition whose owner in {@code presence-lease-group} is the one relay that
 *     reads here_now, however many run ({@link PresenceLease}); nothing is written to it
 * @param presenceLeaseGroup the consumer group of that lease, the same for every relay of a deployment
 * @param presenceLeaseTimeout how long a relay that died keeps the lease (its session timeout in that group);
 *     keep it below {@code presence-interval}, so a poll is at most one interval late
 * @param trendingTopic trending lists (from {@code trending/}) for {@code global.trending}
 * @param deadLetterTopic messages PubNub refused for good, with the reason in headers
 * @param kek the key-encryption key ({@code SYNC_PRIVACY_KEK}, as the gateways'): the presence ops this relay
 *     writes are sealed with per-user data keys like theirs; empty: written unsealed
 * @param topics the platform's topic names
 */
@ConfigurationProperties("sync.relay")
public record RelayProperties(
        String publishKey,
        String subscribeKey,
        String secretKey,
        @DefaultValue("sync-relay") String userId,
        @DefaultValue("ps.pndsn.com") String origin,
        @DefaultValue("true") boolean secure,
        String cipherKey,
        @DefaultValue("true") boolean store,
        @DefaultValue("4") int concurrency,
        @DefaultValue("32KB") DataSize maxMessageSize,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("4") int retryAttempts,
        @DefaultValue("200ms") Duration retryBackoff,
        @DefaultValue("50") float breakerFailureRate,
        @DefaultValue("10s") Duration breakerOpenFor,
        @DefaultValue("sync.announcements.v1") String announcementsTopic,
        @DefaultValue("20s") Duration presenceInterval,
        @DefaultValue("100000") int presenceMaxDevices,
        @DefaultValue("sync.relay.presence-lease.v1") String presenceLeaseTopic,
        @DefaultValue("sync-relay-presence") String presenceLeaseGroup,
        @DefaultValue("10s") Duration presenceLeaseTimeout,
        @DefaultValue(Topics.TRENDING) String trendingTopic,
        @DefaultValue("sync.relay.dlq.v1") String deadLetterTopic,
        @DefaultValue("") String kek,
        SyncTopics topics) {

    public RelayProperties {
        topics = topics == null ? SyncTopics.defaults() : topics;
    }

    public boolean enabled() {
        return publishKey != null && !publishKey.isBlank() && subscribeKey != null && !subscribeKey.isBlank();
    }

    public boolean encrypted() {
        return cipherKey != null && !cipherKey.isBlank();
    }
}
