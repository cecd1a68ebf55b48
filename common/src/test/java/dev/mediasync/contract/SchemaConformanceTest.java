package dev.mediasync.contract;

import static dev.mediasync.contract.ContractSchemas.assertConforms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceCommandRequest;
import dev.mediasync.protocol.DeviceHandoff;
import dev.mediasync.protocol.DeviceHeartbeat;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.DeviceRemove;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.EntityRemoved;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.TokenRefresh;
import dev.mediasync.protocol.TokenRefreshed;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.Topics.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message kind, as the codec writes it, conforms to docs/schemas; and the schema is not a
 * rubber stamp: frames the gateway refuses are refused by it too. The integration tests do the same with
 * the frames and records of a running platform.
 */
class SchemaConformanceTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final Hlc T = Hlc.of(1_764_197_000_123L, 2);
    private static final ProgressState PROGRESS = new ProgressState("tmdb:550",
            new PlaybackPosition(3245, 8217, PlaybackState.PAUSED), "tv-1", "a3", T);
    private static final DeviceState DEVICE = new DeviceState("tv-1", "Living room TV", Platform.TV, List.of("4k"),
            true, 1_764_197_000_000L, T);
    private static final List<OpBody> OPS = List.of(
            new DeviceRegister(null, "Living room TV", Platform.TV, List.of("playback", "4k")),
            new WatchlistUpdate("a1", WatchlistOperation.ADD, "tmdb:550", null),
            new WatchlistUpdate("a2", WatchlistOperation.REMOVE, "tmdb:550", List.of("tv-1/a1")),
            new ProgressUpdate("a3", "tmdb:550", new PlaybackPosition(3245.5, 8217, PlaybackState.PLAYING)),
            new DeviceHeartbeat(),
            new DeviceCommandRequest("a4", "phone-1", CommandType.SEEK, "tmdb:550", 120.0),
            new DeviceHandoff("a5", "tv-1", "tmdb:550"),
            new ProgressRemove("a6", "tmdb:550"),
            new DeviceRemove("a7", "old-tablet"));

    @Test
    void everyClientMessageConformsWithAndWithoutItsTimestamp() {
        for (OpBody body : OPS) {
            var message = (dev.mediasync.protocol.ClientMessage) body;
            assertConforms("ClientMessage", CODEC.encodeClient(new ClientRequest(message, null)));
            assertConforms("ClientMessage", CODEC.encodeClient(new ClientRequest(message, T)));
        }
        assertConforms("ClientMessage", CODEC.encodeClient(new ClientRequest(new TokenRefresh("a.b.c"), null)));
    }

    @Test
    void everyServerMessageConforms() {
        List<ServerMessage> messages = List.of(new Ack("a1", T),
                new ErrorMessage("a1", ErrorCode.BAD_REQUEST, "position_seconds must be ≤ duration_seconds"),
                new ErrorMessage(null, ErrorCode.TOO_LARGE, "frame is 5000 bytes"),
                new Snapshot(T, List.of(new WatchlistItem("tmdb:550", T, List.of("tv-1/a1"))), List.of(PROGRESS),
                        List.of(DEVICE), 4096),
                new WatchlistState("tmdb:550", true, List.of("tv-1/a1"), T, T),
                new WatchlistState("tmdb:550", false, List.of(), T),
                PROGRESS, DEVICE,
                new DeviceCommand("phone-1/a5", "phone-1", CommandType.PLAY, "tmdb:550", 3240.0, 1_764_197_030_000L),
                new EntityRemoved(Kind.PROGRESS, "tmdb:550", T), new EntityRemoved(Kind.DEVICE, "tv-1", T),
                new TokenRefreshed(1_764_200_000_000L));
        for (ServerMessage message : messages) {
            assertConforms("ServerMessage", CODEC.encode(message));
        }
    }

    @Test
    void everyTopicValueConforms() {
        for (OpBody body : OPS) {
            assertConforms("OpRecord", utf8(CODEC.encodeOp(new Op("alice", "tv-1", T, 1_764_197_000_200L, body))));
        }
        for (PresenceEvent event : PresenceEvent.values()) {
            DevicePresence presence = new DevicePresence(event, "s1", event == PresenceEvent.TIMEOUT ? 1L : null);
            assertConforms("OpRecord", utf8(CODEC.encodeOp(new Op("alice", "tv-1", T, 2L, presence))));
            assertConforms("OpRecord", utf8(CODEC.encodeOp(new Op("alice", "tv-1", T, 2L, presence, 7))));
        }
        for (ServerMessage state : List.of(new WatchlistState("tmdb:550", true, List.of("tv-1/a1"), T, T), PROGRESS,
                DEVICE)) {
            assertConforms("StateRecord", utf8(CODEC.encodeEvent(new UserEvent("alice", null, state, 17))));
        }
        for (ServerMessage removed : List.of(new WatchlistState("tmdb:550", false, List.of(), T),
                new EntityRemoved(Kind.PROGRESS, "tmdb:550", T), new EntityRemoved(Kind.DEVICE, "tv-1", T))) {
            assertConforms("StateTombstoneEvent", utf8(CODEC.encodeEvent(new UserEvent("alice", null, removed, 18))));
        }
        assertConforms("CommandRecord", utf8(CODEC.encodeEvent(new UserEvent("alice", "tv-1",
                new DeviceCommand("phone-1/a5", "phone-1", CommandType.PLAY, "tmdb:550", 3240.0, 1L), 19))));
        assertConforms("CommandRecord", utf8(CODEC.encodeEvent(new UserEvent("alice", "phone-1",
                ErrorMessage.of("a5", new dev.mediasync.error.SyncException(ErrorCode.DEVICE_OFFLINE, "tv-1 is offline")),
                20))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"watchlist_update\",\"op_id\":\"a1\",\"operation\":\"add\"}",
        "{\"type\":\"watchlist_update\",\"op_id\":\"a1\",\"operation\":\"keep\",\"content_id\":\"tmdb:550\"}",
        "{\"type\":\"progress_update\",\"op_id\":\"a3\",\"content_id\":\"tmdb:550\",\"position_seconds\":-1,\"duration_seconds\":10,\"state\":\"paused\"}",
        "{\"type\":\"progress_update\",\"op_id\":\"a3\",\"content_id\":\"bad id!\",\"position_seconds\":1,\"duration_seconds\":10,\"state\":\"paused\"}",
        "{\"type\":\"device_command\",\"op_id\":\"a4\",\"target_device_id\":\"tv-1\",\"command\":\"rewind\"}",
        "{\"type\":\"watchlist_update\",\"op_id\":\"a1\",\"operation\":\"add\",\"content_id\":\"tmdb:550\",\"timestamp\":\"soon\"}",
        "{\"type\":\"device_presence\",\"event\":\"connect\",\"session_id\":\"s1\"}",
        "{\"type\":\"teleport\"}"})
    void framesTheGatewayRefusesDoNotConform(String frame) {
        assertThat(ContractSchemas.errors("ClientMessage", frame)).as(frame).isNotEmpty();
    }

    @Test
    void everySchemaTheAsyncApiDocumentNamesExists() throws Exception {
        String asyncApi = ContractSchemas.doc("asyncapi.yaml");
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("sync-protocol\\.schema\\.json#/\\$defs/(\\w+)")
                .matcher(asyncApi);
        List<String> named = refs.results().map(match -> match.group(1)).toList();
        assertThat(named).containsExactlyInAnyOrder("ClientMessage", "ServerMessage", "OpRecord", "StateRecord",
                "CommandRecord", "ServerMessage", "TrendingRecord");
        String schema = java.nio.file.Files.readString(ContractSchemas.FILE);
        named.forEach(name -> assertThat(schema).contains("\"" + name + "\": {"));
    }

    private static String utf8(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
