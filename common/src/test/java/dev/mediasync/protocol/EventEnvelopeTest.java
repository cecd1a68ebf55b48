package dev.mediasync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final byte[] EVENT = "{\"type\":\"progress_removed\"}".getBytes(StandardCharsets.UTF_8);

    private static Headers headers(String user, String target, long version, long expiresAt) {
        Headers headers = new RecordHeaders();
        EventEnvelope.write(headers, user, target, version, expiresAt);
        return headers;
    }

    @Test
    void whatTheProcessorWritesIsReadBackWithoutTheValue() {
        byte[] value = "{\"type\":\"device_command\"}".getBytes(StandardCharsets.UTF_8);
        EventEnvelope envelope = EventEnvelope.read(value, headers("a|b", "tv-1", 42, 1_000));

        assertThat(envelope.userId()).isEqualTo("a|b");
        assertThat(envelope.targetDeviceId()).isEqualTo("tv-1");
        assertThat(envelope.version()).isEqualTo(42);
        assertThat(envelope.event()).isSameAs(value);
        assertThat(envelope.isFor("tv-1")).isTrue();
        assertThat(envelope.isFor("phone")).isFalse();
        assertThat(envelope.expiredAt(1_000)).isFalse();
        assertThat(envelope.expiredAt(1_001)).isTrue();
        assertThat(envelope.snapshotVersion()).as("commands are never in a snapshot").isEqualTo(UserEvent.NO_VERSION);
    }

    @Test
    void aStateEventIsForEveryDeviceNeverExpiresAndCarriesItsVersion() {
        EventEnvelope envelope = EventEnvelope.read(EVENT, headers("alice", null, 7, EventEnvelope.NEVER));

        assertThat(envelope.isFor("anything")).isTrue();
        assertThat(envelope.expiredAt(Long.MAX_VALUE - 1)).isFalse();
        assertThat(envelope.snapshotVersion()).isEqualTo(7);
    }

    @Test
    void aTombstoneCarriesItsEventInAHeaderAndOneWithoutIsNothing() {
        Headers headers = headers("alice", null, 7, EventEnvelope.NEVER).add(Topics.HEADER_EVENT, EVENT);

        assertThat(EventEnvelope.read(null, headers).event()).isEqualTo(EVENT);
        assertThat(EventEnvelope.read(null, new RecordHeaders())).isNull();
    }

    @Test
    void aRecordWrittenBeforeTheHeadersIsReadFromItsValue() {
        MessageCodec codec = new MessageCodec();
        byte[] command = codec.encodeEvent(new UserEvent("a|b", "tv-1", new DeviceCommand("phone/c1", "phone",
                dev.mediasync.device.CommandType.PLAY, null, null, 5_000), 9));

        EventEnvelope envelope = EventEnvelope.read(command, new RecordHeaders());

        assertThat(envelope.userId()).isEqualTo("a|b");
        assertThat(envelope.targetDeviceId()).isEqualTo("tv-1");
        assertThat(envelope.version()).isEqualTo(9);
        assertThat(envelope.expiresAt()).isEqualTo(5_000);
    }
}
