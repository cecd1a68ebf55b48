package dev.mediasync.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.PubNubChannels;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Where each kind of record goes on PubNub, and what is refused or dropped on the way. */
class ChannelRouterTest {

    private final MessageCodec codec = new MessageCodec();
    private final ChannelRouter router = new ChannelRouter(new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("sync.relay", RelayProperties.class), codec);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A record as written: state records with the routing headers of their key's user. */
    private Publication route(String topic, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (topic.equals(Topics.STATE)) {
            EventEnvelope.write(headers, Topics.userOfStateKey(key), null, 1, EventEnvelope.NEVER);
        }
        return router.route(topic, key, value, headers);
    }

    /** A command record of alice's as the processor writes it, routing headers included. */
    private Publication commandRoute(long expiresAt) {
        RecordHeaders headers = new RecordHeaders();
        EventEnvelope.write(headers, "alice", "tv-1", 3, expiresAt);
        return router.route(Topics.COMMANDS, "alice", command("alice", expiresAt), headers);
    }

    private byte[] command(String user, long expiresAt) {
        return codec.encodeEvent(new UserEvent(user, "tv-1", new DeviceCommand("phone/c1", "phone", CommandType.PLAY,
                "tmdb:550", 120.0, expiresAt), 7));
    }

    @Test
    void watchlistAndProgressStateGoToTheUsersSyncChannelAsStored() {
        byte[] value = codec.encodeEvent(UserEvent.toAll("alice", new WatchlistState("tmdb:550", true,
                List.of("tv-1/a1"), Hlc.of(1_000, 0), Hlc.of(1_000, 0))));

        Publication publication = route(Topics.STATE, Topics.stateKey("alice", Topics.Kind.WATCHLIST, "tmdb:550"),
                value);

        assertThat(publication.channel()).isEqualTo("user.alice.sync");
        assertThat(publication.json()).isEqualTo(new String(value, StandardCharsets.UTF_8));
    }

    @Test
    void deviceStateGoesToTheUsersDevicesChannel() {
        assertThat(route(Topics.STATE, Topics.stateKey("alice", Topics.Kind.DEVICE, "tv-1"), bytes("{}"))
                .channel()).isEqualTo("user.alice.devices");
    }

    @Test
    void aUserIdThatCannotNameAChannelIsHashedAsTheContractSays() {
        String user = "auth0|5f1c2";
        assertThat(route(Topics.STATE, Topics.stateKey(user, Topics.Kind.PROGRESS, "tmdb:550"), bytes("{}"))
                .channel()).isEqualTo(PubNubChannels.sync(user)).startsWith("user.~").hasSize("user.~.sync".length() + 32);
    }

    @Test
    void aCommandGoesToTheUsersNotifications() {
        Publication publication = commandRoute(System.currentTimeMillis() + 30_000);

        assertThat(publication.channel()).isEqualTo("user.alice.notifications");
    }

    @Test
    void aCommandPastItsExpiryIsNotPublished() {
        assertThat(commandRoute(System.currentTimeMillis() - 1)).isNull();
    }

    @Test
    void trendingListsGoToGlobalTrending() {
        assertThat(route(Topics.TRENDING, "most_added", bytes("{\"type\":\"trending\"}")).channel())
                .isEqualTo(PubNubChannels.GLOBAL_TRENDING);
    }

    @Test
    void anAnnouncementGoesToItsRegionOrEveryoneWithItsMessageOnly() {
        Publication regional = route("sync.announcements.v1", null,
                bytes("{\"region\":\"eu\",\"message\":{\"text\":\"maintenance\"}}"));
        Publication global = route("sync.announcements.v1", null, bytes("{\"message\":{\"text\":\"hi\"}}"));

        assertThat(regional.channel()).isEqualTo("region.eu.updates");
        assertThat(regional.json()).isEqualTo("{\"text\":\"maintenance\"}");
        assertThat(global.channel()).isEqualTo(PubNubChannels.GLOBAL_ANNOUNCEMENTS);
    }

    @Test
    void anAnnouncementWithoutAMessageOrWithABadRegionIsRefused() {
        assertThatThrownBy(() -> route("sync.announcements.v1", null, bytes("{\"region\":\"eu\"}")))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> route("sync.announcements.v1", null,
                bytes("{\"region\":\"e u\",\"message\":{}}")))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.getMessage()).contains("region"));
    }

    @Test
    void aTopicWithoutAChannelIsRefused() {
        assertThatThrownBy(() -> route("sync.other.v1", "k", bytes("{}"))).isInstanceOf(SyncException.class)
                .hasMessageContaining("no channel for topic sync.other.v1");
    }
}
