package dev.mediasync.protocol;

import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a reader of {@code sync.state.v1}, {@code sync.commands.v1} or {@code sync.deliveries.v1} needs to
 * route or filter a record, read from its headers so that nothing is decoded: the user, the one device it
 * is for (commands and refusals), its version, a command's expiry, and the event itself (the value, or a
 * tombstone's event from its {@link Topics#HEADER_EVENT} header). The processor writes these headers
 * ({@link #write}); every reader goes through {@link #read}.
 *
 * @param targetDeviceId {@code null} for a state event, which is for every device of the user
 * @param expiresAt      epoch ms after which a command must not be delivered; {@link #NEVER} for other events
 */
public record EventEnvelope(String userId, String targetDeviceId, long version, long expiresAt, byte[] event) {

    public static final String HEADER_USER = "sync.user";
    public static final String HEADER_TARGET = "sync.target";
    public static final String HEADER_VERSION = "sync.version";
    public static final String HEADER_EXPIRES = "sync.expires";
    public static final long NEVER = Long.MAX_VALUE;
    private static final MessageCodec CODEC = new MessageCodec();

    /** The routing headers of an event record. */
    public static void write(Headers headers, String userId, String targetDeviceId, long version, long expiresAt) {
        headers.add(HEADER_USER, bytes(userId));
        if (targetDeviceId != null) {
            headers.add(HEADER_TARGET, bytes(targetDeviceId));
        }
        headers.add(HEADER_VERSION, bytes(Long.toString(version)));
        if (expiresAt != NEVER) {
            headers.add(HEADER_EXPIRES, bytes(Long.toString(expiresAt)));
        }
    }

    /**
     * The envelope of a record, or {@code null} for a tombstone without an event (compaction's own).
     * A record written before the routing headers existed is decoded instead (the only case that is).
     */
    public static EventEnvelope read(byte[] value, Headers headers) {
        byte[] event = value != null ? value : bytesOf(headers.lastHeader(Topics.HEADER_EVENT));
        if (event == null) {
            return null;
        }
        String user = string(headers.lastHeader(HEADER_USER));
        if (user == null) {
            return decoded(event);
        }
        String version = string(headers.lastHeader(HEADER_VERSION));
        String expires = string(headers.lastHeader(HEADER_EXPIRES));
        return new EventEnvelope(user, string(headers.lastHeader(HEADER_TARGET)),
                version == null ? UserEvent.NO_VERSION : Long.parseLong(version),
                expires == null ? NEVER : Long.parseLong(expires), event);
    }

    /** Whether a device with this id is to get the event. */
    public boolean isFor(String deviceId) {
        return targetDeviceId == null || targetDeviceId.equals(deviceId);
    }

    /** Past its expiry: a command nobody may act on any more (a lagging reader, a replay). */
    public boolean expiredAt(long nowMs) {
        return expiresAt < nowMs;
    }

    /** The version a snapshot covers: only state events can be in one, commands are always delivered. */
    public long snapshotVersion() {
        return targetDeviceId == null ? version : UserEvent.NO_VERSION;
    }

    private static EventEnvelope decoded(byte[] event) {
        UserEvent decoded = CODEC.decodeEvent(event);
        long expiresAt = decoded.event() instanceof DeviceCommand command ? command.expiresAt() : NEVER;
        return new EventEnvelope(decoded.userId(), decoded.targetDeviceId(), decoded.version(), expiresAt, event);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(Header header) {
        return header == null ? null : header.value();
    }

    private static String string(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
