package dev.mediasync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every message of PROTOCOL.md, as written there, decodes to what it says and survives a round trip. */
class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void decodesDeviceRegister() {
        ClientRequest request = codec.decodeClient("""
                {"type":"device_register","name":"Living room TV","platform":"tv","capabilities":["4k","hdr","atmos"]}""");

        assertThat(request.message()).isEqualTo(new DeviceRegister(null, "Living room TV", Platform.TV,
                List.of("4k", "hdr", "atmos")));
        assertThat(request.clientTimestamp()).isNull();
    }

    @Test
    void decodesAWatchlistAddWithTheClientsTimestamp() {
        ClientRequest request = codec.decodeClient("""
                {"type":"watchlist_update","op_id":"a1","operation":"add","content_id":"tmdb:550","timestamp":"1764197000123:0"}""");

        assertThat(request.message()).isEqualTo(new WatchlistUpdate("a1", WatchlistOperation.ADD, "tmdb:550", null));
        assertThat(request.clientTimestamp()).isEqualTo(Hlc.of(1_764_197_000_123L, 0));
    }

    @Test
    void decodesAWatchlistRemoveWithObservedTags() {
        ClientRequest request = codec.decodeClient("""
                {"type":"watchlist_update","op_id":"a2","operation":"remove","content_id":"tmdb:550","observed_tags":["tv-1/a1"]}""");

        assertThat(request.message()).isEqualTo(
                new WatchlistUpdate("a2", WatchlistOperation.REMOVE, "tmdb:550", List.of("tv-1/a1")));
    }

    @Test
    void decodesProgressUpdate() {
        ClientRequest request = codec.decodeClient("""
                {"type":"progress_update","op_id":"a3","content_id":"tmdb:550","position_seconds":3245,"duration_seconds":8217,"state":"paused"}""");

        assertThat(request.message()).isEqualTo(new ProgressUpdate("a3", "tmdb:550",
                new PlaybackPosition(3245, 8217, PlaybackState.PAUSED)));
    }

    @Test
    void decodesHeartbeatCommandAndHandoff() {
        assertThat(codec.decodeClient("{\"type\":\"device_heartbeat\"}").message()).isEqualTo(new DeviceHeartbeat());
        assertThat(codec.decodeClient("""
                {"type":"device_command","op_id":"a4","target_device_id":"phone-1","command":"seek","content_id":"tmdb:550","position_seconds":120}""")
                .message()).isEqualTo(new DeviceCommandRequest("a4", "phone-1", CommandType.SEEK, "tmdb:550", 120.0));
        assertThat(codec.decodeClient("""
                {"type":"device_handoff","op_id":"a5","target_device_id":"tv-1","content_id":"tmdb:550"}""")
                .message()).isEqualTo(new DeviceHandoff("a5", "tv-1", "tmdb:550"));
    }

    @Test
    void ignoresUnknownFields() {
        assertThat(codec.decodeClient("{\"type\":\"device_heartbeat\",\"battery\":0.4,\"extra\":{\"a\":[1]}}")
                .message()).isEqualTo(new DeviceHeartbeat());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"device_register\",\"op_id\":\"r1\",\"name\":\"Living room TV\",\"platform\":\"tv\",\"capabilities\":[\"4k\",\"hdr\"]}",
        "{\"type\":\"watchlist_update\",\"op_id\":\"a1\",\"operation\":\"add\",\"content_id\":\"tmdb:550\",\"timestamp\":\"1764197000123:0\"}",
        "{\"type\":\"watchlist_update\",\"op_id\":\"a2\",\"operation\":\"remove\",\"content_id\":\"tmdb:550\",\"observed_tags\":[\"tv-1/a1\",\"phone/x\"]}",
        "{\"type\":\"progress_update\",\"op_id\":\"a3\",\"content_id\":\"tmdb:550\",\"position_seconds\":3245.5,\"duration_seconds\":8217,\"state\":\"paused\"}",
        "{\"type\":\"device_heartbeat\"}",
        "{\"type\":\"device_command\",\"op_id\":\"a4\",\"target_device_id\":\"phone-1\",\"command\":\"seek\",\"content_id\":\"tmdb:550\",\"position_seconds\":120}",
        "{\"type\":\"device_command\",\"op_id\":\"a6\",\"target_device_id\":\"phone-1\",\"command\":\"pause\"}",
        "{\"type\":\"device_handoff\",\"op_id\":\"a5\",\"target_device_id\":\"tv-1\",\"content_id\":\"tmdb:550\"}"})
    void clientFramesRoundTripByteForByte(String frame) {
        assertThat(codec.encodeClient(codec.decodeClient(frame))).isEqualTo(frame);
    }

    @Test
    void serverFramesRoundTrip() {
        Hlc t = Hlc.of(1_764_197_000_123L, 0);
        ProgressState progress = new ProgressState("tmdb:550", new PlaybackPosition(3245, 8217, PlaybackState.PAUSED),
                "tv-1", "a3", t);
        DeviceState device = new DeviceState("tv-1", "Living room TV", Platform.TV, List.of("4k"), true,
                1_764_197_000_000L, t);
        List<ServerMessage> messages = List.of(
                new Ack("a1", t),
                new ErrorMessage("a1", ErrorCode.BAD_REQUEST, "position_seconds must be ≤ duration_seconds"),
                new ErrorMessage(null, ErrorCode.TOO_LARGE, "frame is 5000 bytes"),
                new Snapshot(t, List.of(new WatchlistItem("tmdb:550", t, List.of("tv-1/a1"))), List.of(progress),
                        List.of(device), 4096),
                new WatchlistState("tmdb:550", true, List.of("tv-1/a1"), t),
                progress,
                device,
                new DeviceCommand("phone-1/a5", "phone-1", CommandType.PLAY, "tmdb:550", 3240.0, 1_764_197_030_000L),
                new DeviceCommand("phone-1/a6", "phone-1", CommandType.PAUSE, null, null, 1_764_197_030_000L));

        for (ServerMessage message : messages) {
            String json = codec.encode(message);
            assertThat(codec.decodeServer(json)).as(json).isEqualTo(message);
            assertThat(codec.encode(codec.decodeServer(json))).isEqualTo(json);
        }
    }

    @Test
    void writesProgressStateAsTheProtocolShowsIt() {
        ProgressState state = new ProgressState("tmdb:550", new PlaybackPosition(3245, 8217, PlaybackState.PAUSED),
                "tv-1", "a3", Hlc.of(1_764_197_000_123L, 0));

        assertThat(codec.encode(state)).isEqualTo("{\"type\":\"progress_state\",\"content_id\":\"tmdb:550\","
                + "\"position_seconds\":3245,\"duration_seconds\":8217,\"state\":\"paused\",\"device_id\":\"tv-1\","
                + "\"op_id\":\"a3\",\"completed\":false,\"resume_position_seconds\":3240,"
                + "\"timestamp\":\"1764197000123:0\"}");
    }

    @Test
    void opRecordsCarryTheMessageAndTheEnvelope() {
        Op op = new Op("alice", "tv-1", Hlc.of(1_764_197_000_123L, 0), 1_764_197_000_125L,
                new WatchlistUpdate("a1", WatchlistOperation.ADD, "tmdb:550", null));

        byte[] bytes = codec.encodeOp(op);

        assertThat(new String(bytes)).isEqualTo("{\"type\":\"watchlist_update\",\"op_id\":\"a1\",\"operation\":\"add\","
                + "\"content_id\":\"tmdb:550\",\"user_id\":\"alice\",\"device_id\":\"tv-1\","
                + "\"timestamp\":\"1764197000123:0\",\"received_at\":1764197000125}");
        assertThat(codec.decodeOp(bytes)).isEqualTo(op);
    }

    @Test
    void presenceOpsRoundTripButAreNotClientMessages() {
        Op op = new Op("alice", "tv-1", Hlc.of(5, 0), 5, new DevicePresence(PresenceEvent.DISCONNECT, "s-1"));

        assertThat(codec.decodeOp(codec.encodeOp(op))).isEqualTo(op);
        assertThat(CodecErrors.of(() -> codec.decodeClient("{\"type\":\"device_presence\",\"event\":\"connect\",\"session_id\":\"s\"}")))
                .startsWith("type must be one of [device_command,");
    }

    @Test
    void theGatewaysSlotRoundTripsAndOneOutOfRangeIsRefused() {
        Op op = new Op("alice", "tv-1", Hlc.of(5, 0), 5, new DevicePresence(PresenceEvent.CONNECT, "s-1"), 12);

        assertThat(codec.decodeOp(codec.encodeOp(op))).isEqualTo(op);
        String tooHigh = new String(codec.encodeOp(op), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"gateway_slot\":12", "\"gateway_slot\":65536");
        assertThat(CodecErrors.of(() -> codec.decodeOp(tooHigh.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .contains("gateway_slot must be 0-65535");
    }

    @Test
    void userEventsCarryTheUserAndAnOptionalTarget() {
        UserEvent command = new UserEvent("alice", "tv-1",
                new DeviceCommand("phone-1/a5", "phone-1", CommandType.PLAY, "tmdb:550", 3240.0, 99));
        UserEvent state = UserEvent.toAll("alice", new WatchlistState("tmdb:550", false, List.of(), Hlc.of(9, 1)));
        UserEvent versioned = new UserEvent("alice", null, state.event(), 7L << 10);

        assertThat(codec.decodeEvent(codec.encodeEvent(command))).isEqualTo(command);
        assertThat(codec.decodeEvent(codec.encodeEvent(state))).isEqualTo(state);
        assertThat(new String(codec.encodeEvent(state))).endsWith(",\"user_id\":\"alice\"}");
        assertThat(codec.decodeEvent(codec.encodeEvent(versioned))).isEqualTo(versioned);
        assertThat(new String(codec.encodeEvent(versioned))).endsWith(",\"user_id\":\"alice\",\"version\":7168}");
    }
}
