package dev.mediasync.gateway.pubnub;

import com.pubnub.api.java.PubNub;
import com.pubnub.api.PubNubException;
import com.pubnub.api.UserId;
import com.pubnub.api.java.v2.PNConfiguration;
import com.pubnub.api.java.models.consumer.access_manager.v3.ChannelGrant;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.topics.PubNubChannels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Grants a device a PubNub token for its own user's channels only: read on {@code user.{u}.sync},
 * {@code .devices} and {@code .notifications} (and their presence channels, so it can see who is there
 * and fetch history), read on {@code global.*} and {@code region.*.updates}; write on nothing (the relay
 * publishes, signing with the secret key). The token is bound to the device's PubNub user id and ends no
 * later than the caller's JWT.
 *
 * <p>A grant is a call to PubNub, made without holding a request thread: a slow PubNub must not take the
 * threads every other request needs. At most {@code max-pending-grants} are in flight; beyond that, and
 * when PubNub does not answer within {@code grant-timeout}, the caller gets {@code unavailable}.
 */
public class PubNubGrants implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PubNubGrants.class);

    /** One grant: the token, the PubNub user id it is bound to, its channels and when it ends. */
    public record Grant(String token, String pubnubUserId, List<String> channels, Instant expiresAt) {
    }

    private static final int MAX_TTL_MINUTES = 43_200; // PubNub's limit
    /** Users whose tokens are remembered for revocation; beyond, the oldest are forgotten (their tokens expire). */
    private static final int MAX_USERS_TRACKED = 100_000;
    /** Tokens remembered per user (a device asks again before its token ends). */
    private static final int MAX_TOKENS_PER_USER = 64;

    private final PubNub pubnub;
    private final PubNubAccessProperties properties;
    private final Semaphore pending;
    /** Tokens granted here and not yet expired, per user: revoked when the user is erased. */
    private final Cache<String, Set<String>> granted;

    public PubNubGrants(PubNubAccessProperties properties) throws PubNubException {
        this.properties = properties;
        this.pending = new Semaphore(properties.maxPendingGrants());
        this.granted = Caffeine.newBuilder().expireAfterWrite(properties.maxTtl()).maximumSize(MAX_USERS_TRACKED).build();
        int timeoutSeconds = (int) Math.max(1, properties.grantTimeout().toSeconds());
        this.pubnub = PubNub.create(PNConfiguration.builder(new UserId("sync-gateway"), properties.subscribeKey())
                .secretKey(properties.secretKey())
                .origin(properties.origin())
                .secure(properties.secure())
                .connectTimeout(timeoutSeconds)
                .nonSubscribeReadTimeout(timeoutSeconds)
                // the SDK's HTTP client would otherwise queue all but 5 calls unseen, without a timeout
                .maximumConnections(properties.maxPendingGrants())
                .build());
    }

    /** The PubNub user id of a device: unique per user and device, within PubNub's 92 characters. */
    public static String pubnubUserId(AuthenticatedDevice device) {
        return PubNubChannels.userSegment(device.userId()) + "." + device.deviceId();
    }

    public static List<String> channelsOf(String userId) {
        List<String> channels = new ArrayList<>();
        for (String channel : List.of(PubNubChannels.sync(userId), PubNubChannels.devices(userId),
                PubNubChannels.notifications(userId))) {
            channels.add(channel);
            channels.add(channel + "-pnpres");
        }
        return channels;
    }

    /**
     * @param tokenExpiresAt when the caller's JWT ends
     * @return the grant, or a failure with {@link SyncException} {@code unavailable} when PubNub did not grant,
     *         did not answer in time, or too many grants are already waiting (the device may ask again)
     */
    public CompletableFuture<Grant> grant(AuthenticatedDevice device, Instant tokenExpiresAt, Instant now) {
        Duration left = Duration.between(now, tokenExpiresAt);
        if (left.compareTo(properties.maxTtl()) > 0) {
            left = properties.maxTtl();
        }
        int minutes = (int) Math.max(1, Math.min(MAX_TTL_MINUTES, left.toMinutes()));
        List<String> channels = channelsOf(device.userId());
        List<ChannelGrant> grants = new ArrayList<>();
        channels.forEach(channel -> grants.add(ChannelGrant.name(channel).read()));
        grants.add(ChannelGrant.pattern("^global\\..*").read());
        grants.add(ChannelGrant.pattern("^region\\.[A-Za-z0-9_-]+\\.updates$").read());
        String uuid = pubnubUserId(device);
        if (!pending.tryAcquire()) {
            return CompletableFuture.failedFuture(unavailable(properties.maxPendingGrants()
                    + " PubNub grants are already waiting for PubNub; ask again in a few seconds"));
        }
        CompletableFuture<Grant> grant = new CompletableFuture<>();
        try {
            // the permit goes back when PubNub's client is done with the call, not when the caller stops waiting
            pubnub.grantToken(minutes).authorizedUUID(uuid).channels(grants).async(result -> {
                pending.release();
                result.onSuccess(token -> {
                            remember(device.userId(), token.getToken());
                            grant.complete(new Grant(token.getToken(), uuid, channels, now.plus(Duration.ofMinutes(minutes))));
                        })
                        .onFailure(e -> grant.completeExceptionally(unavailable("PubNub did not grant access ("
                                + e.getStatusCode() + "); ask again in a few seconds")));
            });
        } catch (RuntimeException e) {
            pending.release();
            return CompletableFuture.failedFuture(unavailable("PubNub could not be asked: " + e.getMessage()));
        }
        CompletableFuture.delayedExecutor(properties.grantTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> grant.completeExceptionally(unavailable("PubNub did not answer within "
                        + properties.grantTimeout() + "; ask again in a few seconds")));
        return grant;
    }

    private void remember(String userId, String token) {
        Set<String> tokens = granted.get(userId, user -> ConcurrentHashMap.newKeySet());
        if (tokens.size() < MAX_TOKENS_PER_USER) {
            tokens.add(token);
        }
    }

    /**
     * Revokes every token this gateway granted the user (erased) within {@code max-ttl}; PubNub answers
     * later, and a failed revocation is logged (the token still ends within its TTL).
     *
     * @return how many tokens were revoked
     */
    public int revoke(String userId) {
        Set<String> tokens = granted.asMap().remove(userId);
        if (tokens == null) {
            return 0;
        }
        for (String token : tokens) {
            pubnub.revokeToken().token(token).async(result -> result.onFailure(e ->
                    log.warn("PubNub did not revoke a token of erased user {} ({}); it ends within its TTL", userId,
                            e.getStatusCode())));
        }
        return tokens.size();
    }

    private static SyncException unavailable(String message) {
        return new SyncException(ErrorCode.UNAVAILABLE, message);
    }

    @Override
    public void close() {
        pubnub.destroy();
    }
}
