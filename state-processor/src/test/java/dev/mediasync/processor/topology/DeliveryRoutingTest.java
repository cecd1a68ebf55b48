package dev.mediasync.processor.topology;

import static dev.mediasync.processor.topology.TopologyFixture.USER;
import static dev.mediasync.processor.topology.TopologyFixture.command;
import static dev.mediasync.processor.topology.TopologyFixture.presence;
import static dev.mediasync.processor.topology.TopologyFixture.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.device.CommandType;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.EventEnvelope;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries for the gateways: each event goes once to every slot holding a device of its user (the
 * slots come from the presence ops that the gateways stamp), commands only to their target's slot, and
 * every event record carries the routing headers. The test driver's topics have one partition, so only
 * slot 0's copy is written here; the copy per slot is the partitioner's ({@code DeliveryTest}) and the
 * routes store says which slots those are. A real broker's partitions: {@code RoutedDeliveryIT}.
 */
class DeliveryRoutingTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    private TopologyFixture start(Map<String, String> settings) {
        fx = new TopologyFixture(stateDir, ProcessorProperties.of(settings));
        return fx;
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private String routes(String user) {
        return fx.driver.<String, String>getKeyValueStore(PresenceStore.ROUTES_NAME).get(user);
    }

    private static EventEnvelope envelope(TestRecord<String, byte[]> record) {
        return EventEnvelope.read(record.value(), record.headers());
    }

    @Test
    void anEventGoesToTheSlotsHoldingADeviceOfItsUserAndNowhereElse() {
        start(Map.of());
        fx.sendVia(0, USER, "tv", 0, presence(PresenceEvent.CONNECT, "s-tv"));
        fx.sendVia(5, USER, "phone", 1, presence(PresenceEvent.CONNECT, "s-phone"));
        fx.sendVia(5, USER, "tablet", 2, presence(PresenceEvent.CONNECT, "s-tablet"));
        assertThat(routes(USER)).isEqualTo("0,5");
        fx.settle();

        fx.sendVia(0, USER, "tv", 10, progress("p1", "tmdb:550", 60));
        fx.sendVia(0, "bob", "tv", 11, progress("p2", "tmdb:550", 60)); // bob has no device online

        List<TestRecord<String, byte[]>> deliveries = fx.deliveries.readRecordsToList();
        assertThat(deliveries).hasSize(1).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(USER);
            EventEnvelope envelope = envelope(record);
            assertThat(envelope.userId()).isEqualTo(USER);
            assertThat(envelope.targetDeviceId()).isNull();
            assertThat(envelope.version()).isEqualTo(3); // the op's offset in the log
            assertThat(fx.codec.decodeEvent(record.value()).event().type()).isEqualTo("progress_state");
        });
        assertThat(fx.stateRecords()).hasSize(2).allSatisfy(record ->
                assertThat(envelope(record).userId()).isIn(USER, "bob"));
        fx.assertNothingElseEmitted();
    }

    @Test
    void aSlotStopsGettingEventsWhenItsLastDeviceOfTheUserLeaves() {
        start(Map.of());
        fx.sendVia(2, USER, "tv", 0, presence(PresenceEvent.CONNECT, "s-tv"));
        fx.sendVia(5, USER, "phone", 1, presence(PresenceEvent.CONNECT, "s-phone"));
        fx.sendVia(5, USER, "phone", 2, presence(PresenceEvent.DISCONNECT, "s-phone"));
        assertThat(routes(USER)).isEqualTo("2");
        // the phone reconnects through the gateway with slot 2: slot 5 holds nothing of the user now
        fx.sendVia(2, USER, "phone", 3, presence(PresenceEvent.CONNECT, "s-phone-2"));
        assertThat(routes(USER)).isEqualTo("2");
        fx.sendVia(2, USER, "tv", 4, presence(PresenceEvent.DISCONNECT, "s-tv"));
        fx.sendVia(2, USER, "phone", 5, presence(PresenceEvent.DISCONNECT, "s-phone-2"));
        assertThat(routes(USER)).isNull();
        fx.settle();

        fx.send("tv", 10, progress("p1", "tmdb:550", 60));

        assertThat(fx.deliveries.readRecordsToList()).isEmpty();
        assertThat(fx.stateRecords()).hasSize(1);
        fx.assertNothingElseEmitted();
    }

    @Test
    void aCommandGoesOnlyToItsTargetsSlotWithItsTargetAndExpiryInTheHeaders() {
        start(Map.of());
        fx.sendVia(0, USER, "tv", 0, presence(PresenceEvent.CONNECT, "s-tv"));
        fx.sendVia(5, USER, "phone", 1, presence(PresenceEvent.CONNECT, "s-phone"));
        fx.settle();

        fx.sendVia(5, USER, "phone", 10, command("c1", "tv", CommandType.PAUSE, null));
        fx.sendVia(0, USER, "tv", 11, command("c2", "phone", CommandType.PAUSE, null)); // to slot 5: not here

        List<TestRecord<String, byte[]>> deliveries = fx.deliveries.readRecordsToList();
        assertThat(deliveries).singleElement().satisfies(record -> {
            EventEnvelope envelope = envelope(record);
            assertThat(envelope.targetDeviceId()).isEqualTo("tv");
            DeviceCommand sent = (DeviceCommand) fx.codec.decodeEvent(record.value()).event();
            assertThat(envelope.expiresAt()).isEqualTo(sent.expiresAt());
        });
        assertThat(fx.commandEvents()).hasSize(2);
        fx.assertNothingElseEmitted();
    }

    @Test
    void aRefusedConnectIsAnsweredOnTheSlotOfTheGatewayThatTookIt() {
        start(Map.of("sync.processor.limits.devices", "1"));
        fx.sendVia(3, USER, "tv", 0, presence(PresenceEvent.CONNECT, "s-tv"));
        fx.settle();

        fx.sendVia(0, USER, "phone", 10, presence(PresenceEvent.CONNECT, "s-phone")); // over the device cap

        assertThat(fx.deliveries.readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(envelope(record).targetDeviceId()).isEqualTo("phone");
            assertThat(fx.codec.decodeEvent(record.value()).event()).isInstanceOf(ErrorMessage.class);
        });
        assertThat(routes(USER)).as("the refused device is not routed").isEqualTo("3");
        assertThat(fx.commandEvents()).hasSize(1);
        assertThat(fx.deadLetters.readRecordsToList()).hasSize(1);
        fx.assertNothingElseEmitted();
    }

    @Test
    void aReplayWritesNoDeliveries() {
        start(Map.of("sync.processor.deliveries", "false"));
        fx.sendVia(2, USER, "tv", 0, presence(PresenceEvent.CONNECT, "s-tv"));
        fx.sendVia(2, USER, "tv", 1, progress("p1", "tmdb:550", 60));

        assertThat(fx.stateRecords()).hasSize(2);
        fx.assertNothingElseEmitted();
    }
}
