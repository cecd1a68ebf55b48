package dev.mediasync.gateway.pubnub;

import com.pubnub.api.java.PubNub;
import com.pubnub.api.PubNubException;
import com.pubnub.api.UserId;
import com.pubnub.api.java.v2.PNConfiguration;
import com.pubnub.api.java.models.consumer.access_manager.v3.ChannelGrant;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.topics.PubNubChannels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Grants a device a PubNub token for its own user's channels only: read on {@code user.{u}.sync},
 * {@code .devices} and {@code .notifications} (and their presence channels, so it can see who is there
 * and fetch history), read on {@code global.*} and {@code region.*.updates}; write on nothing (the relay
 * publishes, signing with the secret key). The token is bound to the device's PubNub user id and ends no
 * later than the caller's JWT.
 */
public class PubNubGrants implements AutoCloseable {

    /** One grant: the token, the PubNub user id it is bound to, its channels and when it ends. */
    public record Grant(String token, String pubnubUserId, List<String> channels, Instant expiresAt) {
    }

    private static final int MAX_TTL_MINUTES = 43_200; // PubNub's limit

    private final PubNub pubnub;
    private final PubNubAccessProperties properties;

    public PubNubGrants(PubNubAccessProperties properties) throws PubNubException {
        this.properties = properties;
        this.pubnub = PubNub.create(PNConfiguration.builder(new UserId("sync-gateway"), properties.subscribeKey())
                .secretKey(properties.secretKey())
                .origin(properties.origin())
                .secure(properties.secure())
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
     * @throws SyncException {@code unavailable} when PubNub did not grant (the device may ask again)
     */
    public Grant grant(AuthenticatedDevice device, Instant tokenExpiresAt, Instant now) {
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
        try {
            String token = pubnub.grantToken(minutes).authorizedUUID(uuid).channels(grants).sync().getToken();
            return new Grant(token, uuid, channels, now.plus(Duration.ofMinutes(minutes)));
        } catch (PubNubException e) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "PubNub did not grant access (" + e.getStatusCode()
                    + "); ask again in a few seconds");
        }
    }

    @Override
    public void close() {
        pubnub.destroy();
    }
}
