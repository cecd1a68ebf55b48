package dev.mediasync.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.gateway.ws.ConnectedDevices;
import dev.mediasync.gateway.ws.SessionRegistry;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.EntityRemoved;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What the fan-out pushes to the devices connected here, for each kind of record it reads. */
class StateFanOutTest {

    private final MessageCodec codec = new MessageCodec();
    private final SessionRegistry registry = new SessionRegistry();
    private final StateFanOut fanOut = new StateFanOut(registry, user -> { }, new SimpleMeterRegistry());
    private final ConnectedDevices.Device aliceTv = ConnectedDevices.connect(registry, "alice", "tv-1");
    private final ConnectedDevices.Device alicePhone = ConnectedDevices.connect(registry, "alice", "phone");
    private final ConnectedDevices.Device bobTv = ConnectedDevices.connect(registry, "bob", "tv-1");

    private static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value, Headers headers) {
        return new ConsumerRecord<>(topic, 0, 0, System.currentTimeMillis(), TimestampType.CREATE_TIME, 0, 0, key, value,
                headers, java.util.Optional.empty());
    }

    /** The headers the processor writes on an event record. */
    private static Headers envelope(String user, String target, long version, long expiresAt) {
        Headers headers = new RecordHeaders();
        EventEnvelope.write(headers, user, target, version, expiresAt);
        return headers;
    }

    private byte[] command(String target, long expiresAt) {
        return codec.encodeEvent(new UserEvent("alice", target, new DeviceCommand("phone/c1", "phone", CommandType.PLAY,
                "tmdb:550", 10.0, expiresAt), 3));
    }

    @Test
    void aStateEventReachesEveryDeviceOfItsUserAsStoredAndNoOneElse() {
        byte[] value = codec.encodeEvent(UserEvent.toAll("alice", new WatchlistState("tmdb:550", true, List.of("tv-1/a1"),
                Hlc.of(1_000, 0), Hlc.of(1_000, 0))));

        fanOut.onEvent(record(Topics.DELIVERIES, "alice", value, envelope("alice", null, 7, EventEnvelope.NEVER)));

        String stored = new String(value, StandardCharsets.UTF_8);
        assertThat(aliceTv.texts()).containsExactly(stored);
        assertThat(alicePhone.texts()).containsExactly(stored);
        assertThat(bobTv.texts()).isEmpty();
    }

    @Test
    void aCommandReachesItsTargetOnly() {
        long expiresAt = System.currentTimeMillis() + 30_000;
        fanOut.onEvent(record(Topics.DELIVERIES, "alice", command("tv-1", expiresAt), envelope("alice", "tv-1", 3, expiresAt)));

        assertThat(aliceTv.texts()).singleElement().asString().contains("\"command\":\"play\"");
        assertThat(alicePhone.texts()).isEmpty();
        assertThat(bobTv.texts()).isEmpty();
    }

    @Test
    void aCommandPastItsExpiryReachesNobody() {
        long expiresAt = System.currentTimeMillis() - 1;
        fanOut.onEvent(record(Topics.DELIVERIES, "alice", command("tv-1", expiresAt), envelope("alice", "tv-1", 3, expiresAt)));

        assertThat(aliceTv.texts()).isEmpty();
    }

    @Test
    void aTombstoneDeliversTheEventInItsHeaderAndOneWithoutNothing() {
        byte[] removed = codec.encodeEvent(UserEvent.toAll("alice", new EntityRemoved(Topics.Kind.PROGRESS, "tmdb:550",
                Hlc.of(2_000, 0))));
        String key = Topics.stateKey("alice", Topics.Kind.PROGRESS, "tmdb:550");

        fanOut.onEvent(record(Topics.STATE, key, null, envelope("alice", null, 9, EventEnvelope.NEVER)
                .add(Topics.HEADER_EVENT, removed)));
        fanOut.onEvent(record(Topics.STATE, key, null, new RecordHeaders()));

        assertThat(aliceTv.texts()).containsExactly(new String(removed, StandardCharsets.UTF_8));
    }
}
