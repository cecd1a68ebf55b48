package dev.mediasync.relay;

import dev.mediasync.error.SyncException;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.UserErased;
import dev.mediasync.protocol.JsonFields;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.topics.PubNubChannels;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Decides where a record goes: watchlist and progress state to {@code user.{id}.sync}, device state to
 * {@code user.{id}.devices}, commands (and command refusals) to {@code user.{id}.notifications}, and
 * operator announcements ({@code {"region":"eu"?,"message":{…}}}) to {@code global.announcements} or
 * {@code region.{code}.updates}, and trending lists to {@code global.trending}. {@code user_erased} goes to
 * {@code user.{id}.sync}, naming the user whose channels' history is then deleted. The payload is the record as stored, so receivers see its timestamp and
 * version and can drop a duplicate.
 */
@Component
public class ChannelRouter {

    private final RelayProperties properties;
    private final MessageCodec codec;

    public ChannelRouter(RelayProperties properties, MessageCodec codec) {
        this.properties = properties;
        this.codec = codec;
    }

    /**
     * @return where and what to publish, or {@code null} for a command past its {@code expires_at} or a
     *     tombstone without an event
     * @throws SyncException {@code bad_request} for a record that cannot be routed
     */
    public Publication route(String topic, String key, byte[] value, Headers headers) {
        boolean state = topic.equals(properties.topics().state());
        if (state || topic.equals(properties.topics().commands())) {
            EventEnvelope envelope = EventEnvelope.read(value, headers);
            if (envelope == null) {
                return null;
            }
            String json = new String(envelope.event(), StandardCharsets.UTF_8);
            String user = envelope.userId();
            if (state) {
                if (Topics.kindOfStateKey(key) == Topics.Kind.ACCOUNT && UserErased.isEncoded(envelope.event())) {
                    // the last message on the user's channel; then their channels' history is deleted
                    return new Publication(PubNubChannels.sync(user), json, user);
                }
                boolean device = Topics.kindOfStateKey(key) == Topics.Kind.DEVICE;
                return new Publication(device ? PubNubChannels.devices(user) : PubNubChannels.sync(user), json);
            }
            if (envelope.expiredAt(System.currentTimeMillis())) {
                return null; // past expires_at (a lagging relay, or a replay): no device may act on it now
            }
            return new Publication(PubNubChannels.notifications(user), json);
        }
        if (value == null) {
            return null;
        }
        if (topic.equals(properties.trendingTopic())) {
            return new Publication(PubNubChannels.GLOBAL_TRENDING, new String(value, StandardCharsets.UTF_8));
        }
        if (topic.equals(properties.announcementsTopic())) {
            JsonNode announcement = codec.parse(value);
            JsonFields fields = JsonFields.of(announcement);
            String region = fields.optionalString("region");
            JsonNode message = announcement.get("message");
            if (message == null || message.isNull()) {
                throw SyncException.badRequest("message is required");
            }
            if (region != null && !region.matches("[A-Za-z0-9_-]{1,32}")) {
                throw SyncException.badRequest("region must be 1–32 chars of [A-Za-z0-9_-]");
            }
            return new Publication(region == null ? PubNubChannels.GLOBAL_ANNOUNCEMENTS : PubNubChannels.region(region),
                    message.toString());
        }
        throw SyncException.badRequest("no channel for topic " + topic);
    }
}
