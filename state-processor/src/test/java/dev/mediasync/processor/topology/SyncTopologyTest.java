package dev.mediasync.processor.topology;

import static dev.mediasync.processor.topology.TopologyFixture.START;
import static dev.mediasync.processor.topology.TopologyFixture.USER;
import static dev.mediasync.processor.topology.TopologyFixture.add;
import static dev.mediasync.processor.topology.TopologyFixture.command;
import static dev.mediasync.processor.topology.TopologyFixture.handoff;
import static dev.mediasync.processor.topology.TopologyFixture.presence;
import static dev.mediasync.processor.topology.TopologyFixture.progress;
import static dev.mediasync.processor.topology.TopologyFixture.register;
import static dev.mediasync.processor.topology.TopologyFixture.remove;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fx;

    @BeforeEach
    void start() {
        fx = new TopologyFixture(stateDir);
    }

    @AfterEach
    void stop() {
        try {
            fx.assertNothingElseEmitted();
        } finally {
            fx.close();
        }
    }

    private WatchlistState lastWatchlist() {
        List<UserEvent> events = fx.stateEvents();
        assertThat(events).isNotEmpty();
        return (WatchlistState) events.get(events.size() - 1).event();
    }

    private ProgressState lastProgress() {
        List<UserEvent> events = fx.stateEvents();
        assertThat(events).isNotEmpty();
        return (ProgressState) events.get(events.size() - 1).event();
    }

    @Test
    void shouldEmitTheTitlesStateKeyedByUserKindAndTitleForAnAdd() {
        fx.send("tv-1", 10, add("a1", "tmdb:550"));

        TestRecord<String, byte[]> record = fx.stateRecords().get(0);
        assertThat(record.key()).isEqualTo("alice|watchlist|tmdb:550");
        UserEvent event = fx.codec.decodeEvent(record.value());
        assertThat(event.userId()).isEqualTo(USER);
        assertThat(event.event()).isEqualTo(new WatchlistState("tmdb:550", true, List.of("tv-1/a1"),
                Hlc.of(START + 10, 0), Hlc.of(START + 10, 0)));
        assertThat(fx.state.isEmpty()).isTrue();
    }

    @Test
    void shouldVersionEventsByTheOffsetOfTheOpThatCausedThemATimeoutIncluded() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("tv-1", 10, add("a1", "tmdb:550"));
        fx.advanceWallClock(Duration.ofSeconds(61));

        assertThat(fx.stateEvents()).extracting(UserEvent::version).containsExactly(0L, 1L, 2L);
        assertThat(fx.opsWritten()).as("the timeout op, in the log at offset 2").hasSize(1);
    }

    @Test
    void shouldTakeASilentDeviceOfflineThroughATimeoutOpInTheLogThatAReplayAppliesAlike(@TempDir Path replayDir) {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.advanceWallClock(Duration.ofSeconds(61));
        fx.advanceWallClock(Duration.ofSeconds(10)); // a later sweep writes no second timeout
        List<UserEvent> live = fx.stateEvents();
        assertThat(live).extracting(e -> ((DeviceState) e.event()).online()).containsExactly(true, false);

        List<TestRecord<String, byte[]>> written = fx.opsWritten();
        assertThat(written).hasSize(1);
        assertThat(fx.codec.decodeOp(written.get(0).value()).body())
                .isEqualTo(new DevicePresence(PresenceEvent.TIMEOUT, "s1", START));

        try (TopologyFixture replay = new TopologyFixture(replayDir,
                ProcessorProperties.of(Map.of("sync.processor.presence-sweep", "false")))) {
            replay.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
            replay.ops.pipeInput(written.get(0).key(), written.get(0).value());
            replay.advanceWallClock(Duration.ofDays(1)); // a replay decides nothing by the clock
            assertThat(replay.opsWritten()).isEmpty();
            assertThat(replay.stateEvents()).isEqualTo(live);
        }
    }

    @Test
    void shouldIgnoreATimeoutWhenTheDeviceWasActiveAfterTheSweeperLooked() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("tv-1", 30_000, presence(PresenceEvent.HEARTBEAT, "s1"));
        fx.stateEvents();
        // a timeout for the activity before the heartbeat reaches the log after it
        fx.send("tv-1", 61_000, new DevicePresence(PresenceEvent.TIMEOUT, "s1", START));
        assertThat(fx.stateEvents()).isEmpty();

        // the timeout for the activity the device really had last does take it offline
        fx.send("tv-1", 91_000, new DevicePresence(PresenceEvent.TIMEOUT, "s1", START + 30_000));
        assertThat(fx.stateEvents()).singleElement()
                .satisfies(e -> assertThat(((DeviceState) e.event()).online()).isFalse());
    }

    @Test
    void shouldKeepAddWhenRemoveIsConcurrent() {
        fx.send("tv-1", 10, add("a1", "tmdb:550"));
        fx.send("tablet", 12, add("b1", "tmdb:550"));
        fx.send("phone", 15, remove("c1", "tmdb:550", List.of("tv-1/a1")));

        WatchlistState state = lastWatchlist();
        assertThat(state.inWatchlist()).isTrue();
        assertThat(state.tags()).containsExactly("tablet/b1");
    }

    @Test
    void shouldRemoveOlderAddsWithATaglessRemoveAndKeepLateOlderAddsOut() {
        fx.send("tv-1", 10, add("a1", "tmdb:550"));
        fx.send("phone", 20, remove("c1", "tmdb:550", null));
        assertThat(lastWatchlist().inWatchlist()).isFalse();

        // an offline edit from before the remove arrives late
        fx.send(USER, "tablet", Hlc.of(START + 15, 0), START + 30, add("b1", "tmdb:550"));
        assertThat(lastWatchlist().inWatchlist()).isFalse();

        fx.send("tablet", 40, add("b2", "tmdb:550"));
        assertThat(lastWatchlist().tags()).containsExactly("tablet/b2");
    }

    @Test
    void shouldKeepADevicesLatestAddRemovedByNameAsAMarkSoItsOlderAddsStayOutAfterTheLedgerForgot() {
        fx.send("tv-1", 10, add("a1", "tmdb:550"));
        fx.send("tv-1", 20, add("a2", "tmdb:550"));
        fx.send("phone", 30, remove("c1", "tmdb:550", List.of("tv-1/a2")));
        assertThat(lastWatchlist().inWatchlist()).isFalse();

        // both adds come again long after the op-id ledger's window: the stored mark keeps them out
        long later = START + ProcessorProperties.defaults().dedupWindow().toMillis() + 60_000;
        fx.send(USER, "tv-1", Hlc.of(START + 10, 0), later, add("a1", "tmdb:550"));
        fx.send(USER, "tv-1", Hlc.of(START + 20, 0), later + 1, add("a2", "tmdb:550"));
        assertThat(lastWatchlist().inWatchlist()).isFalse();

        fx.send(USER, "tv-1", Hlc.of(START + 40, 0), later + 2, add("a3", "tmdb:550"));
        assertThat(lastWatchlist().tags()).containsExactly("tv-1/a3");
        assertThat(fx.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldNameADeviceByItsLatestRegistrationWhateverOrderTheyArriveIn() {
        fx.send("tv-1", 20, TopologyFixture.register("Living room TV", Platform.TV));
        fx.send(USER, "tv-1", Hlc.of(START + 10, 0), START + 30, TopologyFixture.register("Old name", Platform.OTHER)); // resent late

        DeviceState device = fx.snapshot(USER).devices().get(0);
        assertThat(device.name()).isEqualTo("Living room TV");
        assertThat(device.platform()).isEqualTo(Platform.TV);
        assertThat(device.registeredAt()).isEqualTo(Hlc.of(START + 20, 0));
        assertThat(device.online()).isTrue();
        assertThat(fx.stateEvents()).extracting(e -> ((DeviceState) e.event()).name())
                .containsExactly("Living room TV", "Living room TV");
    }

    @Test
    void shouldPickTheGreaterDeviceIdOnEqualTimestamps() {
        fx.send("tv-1", 10, progress("p1", "tmdb:550", 100));
        fx.send("phone", 10, progress("p2", "tmdb:550", 200));

        ProgressState winner = lastProgress();
        assertThat(winner.deviceId()).isEqualTo("tv-1");
        assertThat(winner.position().positionSeconds()).isEqualTo(100);
    }

    @Test
    void shouldEmitTheUnchangedWinnerForALosingWrite() {
        fx.send("tv-1", 20, progress("p1", "tmdb:550", 3245));
        fx.send(USER, "phone", Hlc.of(START + 10, 0), START + 30, progress("p2", "tmdb:550", 50));

        List<UserEvent> events = fx.stateEvents();
        assertThat(events).hasSize(2);
        assertThat(events.get(1).event()).isEqualTo(events.get(0).event());
        ProgressState winner = (ProgressState) events.get(1).event();
        assertThat(winner.opId()).isEqualTo("p1");
        assertThat(winner.position().resumePositionSeconds()).isEqualTo(3240);
    }

    @Test
    void shouldNotReapplyAResentOpStampedAnew() {
        fx.send("phone", 10, progress("p1", "tmdb:550", 100));
        fx.send("tv-1", 20, progress("p2", "tmdb:550", 200));
        // the phone never got its ack, reconnects and resends p1; the gateway stamps it anew
        fx.send("phone", 30, progress("p1", "tmdb:550", 100));

        assertThat(lastProgress().opId()).isEqualTo("p2");

        fx.send("tv-1", 40, add("a1", "tmdb:603"));
        fx.send("phone", 50, remove("r1", "tmdb:603", null));
        fx.send("tv-1", 60, add("a1", "tmdb:603"));
        assertThat(lastWatchlist().inWatchlist()).isFalse();
    }

    @Test
    void shouldApplyAnOpIdAgainOnceTheDedupWindowHasPassed() {
        long window = ProcessorProperties.defaults().dedupWindow().toMillis();
        fx.send("phone", 10, progress("p1", "tmdb:550", 100));
        fx.send("tv-1", 20, progress("p2", "tmdb:550", 200));
        fx.send("phone", window, progress("p1", "tmdb:550", 300));
        assertThat(lastProgress().opId()).isEqualTo("p2");

        fx.send("phone", window + 11, progress("p1", "tmdb:550", 400));
        ProgressState winner = lastProgress();
        assertThat(winner.opId()).isEqualTo("p1");
        assertThat(winner.position().positionSeconds()).isEqualTo(400);
    }

    @Test
    void shouldRecognizeAResendAWholeWindowLaterAcrossTheLedgersBuckets() {
        long window = ProcessorProperties.defaults().dedupWindow().toMillis();
        long bucket = window / 2;
        long boundary = (START / bucket + 1) * bucket; // the first p1 is filed just before it, the resend two later
        fx.send(USER, "phone", Hlc.of(boundary - 1, 0), boundary - 1, progress("p1", "tmdb:550", 100));
        fx.send(USER, "tv-1", Hlc.of(boundary, 0), boundary, progress("p2", "tmdb:550", 200));
        fx.send(USER, "phone", Hlc.of(boundary - 1 + window, 0), boundary - 1 + window, progress("p1", "tmdb:550", 300));
        assertThat(lastProgress().opId()).isEqualTo("p2");
    }

    @Test
    void shouldRecognizeAResendStampedByAGatewayWhoseClockIsBehindTheOriginals() {
        long bucket = ProcessorProperties.defaults().dedupWindow().toMillis() / 2;
        long boundary = (START / bucket + 1) * bucket;
        fx.send(USER, "phone", Hlc.of(boundary + 5, 0), boundary + 5, progress("p1", "tmdb:550", 100));
        fx.send(USER, "tv-1", Hlc.of(boundary + 6, 0), boundary + 6, progress("p2", "tmdb:550", 200));
        // the resend's gateway is 10 ms behind: its received_at falls in the bucket before the original's
        fx.send(USER, "phone", Hlc.of(boundary + 5, 0), boundary - 5, progress("p1", "tmdb:550", 300));
        assertThat(lastProgress().opId()).isEqualTo("p2");
    }

    @Test
    void shouldTellSiblingsWhenADeviceConnectsRegistersAndClosesCleanly() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("tv-1", 5, TopologyFixture.register("Living room TV", Platform.TV));
        fx.send("tv-1", 9, presence(PresenceEvent.DISCONNECT, "s1"));

        List<DeviceState> states = fx.stateEvents().stream().map(e -> (DeviceState) e.event()).toList();
        assertThat(states).extracting(DeviceState::online).containsExactly(true, true, false);
        assertThat(states.get(0).name()).isEqualTo("tv-1");
        assertThat(states.get(0).platform()).isEqualTo(Platform.OTHER);
        assertThat(states.get(2).name()).isEqualTo("Living room TV");
        assertThat(states.get(2).lastSeen()).isEqualTo(START + 9);
        assertThat(states).extracting(DeviceState::timestamp).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldMarkADeviceOfflineOnceItIsSilentForThePresenceTimeout() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.stateEvents();

        fx.advanceWallClock(Duration.ofSeconds(50));
        fx.send("tv-1", 50_000, presence(PresenceEvent.HEARTBEAT, "s1"));
        fx.advanceWallClock(Duration.ofSeconds(55));
        assertThat(fx.state.isEmpty()).as("a heartbeat keeps it online, silently").isTrue();

        fx.advanceWallClock(Duration.ofSeconds(10));
        List<UserEvent> events = fx.stateEvents();
        assertThat(events).hasSize(1);
        DeviceState offline = (DeviceState) events.get(0).event();
        assertThat(offline.online()).isFalse();
        assertThat(offline.lastSeen()).isEqualTo(START + 50_000);
        assertThat(fx.opsWritten()).as("the timeout op").hasSize(1);
    }

    @Test
    void shouldKeepADeviceOnlineWhoseOldConnectionClosesAfterItReconnected() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("tv-1", 5, presence(PresenceEvent.CONNECT, "s2"));
        fx.stateEvents();

        fx.send("tv-1", 9, presence(PresenceEvent.DISCONNECT, "s1"));

        assertThat(fx.state.isEmpty()).isTrue();
        fx.send("phone", 10, presence(PresenceEvent.CONNECT, "p1"));
        fx.settle();
        fx.send("phone", 11, command("c1", "tv-1", CommandType.PAUSE, null));
        assertThat(fx.commandEvents()).extracting(UserEvent::targetDeviceId).containsExactly("tv-1");
    }

    @Test
    void shouldSendAValidCommandToItsTargetOnlyWithAnExpiry() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("phone", 1, presence(PresenceEvent.CONNECT, "s2"));
        fx.settle();

        fx.send("phone", 10, command("c1", "tv-1", CommandType.SEEK, 120.0));

        List<UserEvent> commands = fx.commandEvents();
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).targetDeviceId()).isEqualTo("tv-1");
        assertThat(commands.get(0).event()).isEqualTo(new DeviceCommand("phone/c1", "phone", CommandType.SEEK,
                "tmdb:550", 120.0, START + 10 + 30_000));
    }

    @Test
    void shouldRefuseACommandToAnUnknownDeviceBackToTheSender() {
        fx.send("phone", 1, presence(PresenceEvent.CONNECT, "s2"));
        fx.settle();
        fx.send("phone", 10, command("c1", "toaster", CommandType.PLAY, null));

        UserEvent refusal = fx.commandEvents().get(0);
        assertThat(refusal.targetDeviceId()).isEqualTo("phone");
        ErrorMessage error = (ErrorMessage) refusal.event();
        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_DEVICE);
        assertThat(error.opId()).isEqualTo("c1");
    }

    @Test
    void shouldRefuseACommandToAnOfflineDevice() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("tv-1", 1, presence(PresenceEvent.DISCONNECT, "s1"));
        fx.settle();
        fx.send("phone", 10, command("c1", "tv-1", CommandType.PLAY, null));

        ErrorMessage error = (ErrorMessage) fx.commandEvents().get(0).event();
        assertThat(error.code()).isEqualTo(ErrorCode.DEVICE_OFFLINE);
    }

    @Test
    void shouldRefuseACommandToAnotherUsersDevice() {
        fx.send("bob", "tv-9", Hlc.of(START, 0), START, presence(PresenceEvent.CONNECT, "s9"));
        fx.settle();
        fx.send("phone", 10, command("c1", "tv-9", CommandType.PLAY, null));

        UserEvent refusal = fx.commandEvents().get(0);
        assertThat(refusal.userId()).isEqualTo(USER);
        assertThat(((ErrorMessage) refusal.event()).code()).isEqualTo(ErrorCode.UNKNOWN_DEVICE);
    }

    @Test
    void shouldTurnAHandoffIntoPlayAtTheResumePosition() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("phone", 1, presence(PresenceEvent.CONNECT, "s2"));
        fx.send("phone", 5, progress("p1", "tmdb:550", 3245));
        fx.settle();

        fx.send("phone", 10, handoff("h1", "tv-1", "tmdb:550"));

        UserEvent play = fx.commandEvents().get(0);
        assertThat(play.targetDeviceId()).isEqualTo("tv-1");
        assertThat(play.event()).isEqualTo(new DeviceCommand("phone/h1", "phone", CommandType.PLAY, "tmdb:550",
                3240.0, START + 10 + 30_000));
    }

    @Test
    void shouldHandOffAnUnwatchedTitleFromTheStart() {
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.settle();
        fx.send("phone", 10, handoff("h1", "tv-1", "tmdb:999"));

        assertThat(((DeviceCommand) fx.commandEvents().get(0).event()).positionSeconds()).isZero();
    }

    @Test
    void shouldDeadLetterBadRecordsWithTheReasonAndGoOn() {
        fx.ops.pipeInput(USER, "{not json".getBytes(StandardCharsets.UTF_8));
        fx.send("mallory", "tv-1", Hlc.of(START, 0), START, add("x", "tmdb:1")); // fine, other user
        fx.ops.pipeInput("bob", fx.codec.encodeOp(new dev.mediasync.protocol.Op(USER, "tv-1", Hlc.of(START, 0), START,
                add("a1", "tmdb:550"))));
        fx.send(USER, "tv-1", Hlc.of(START - Duration.ofDays(31).toMillis(), 0), START, add("a2", "tmdb:550"));
        fx.send(USER, "tv-1", Hlc.of(START + 61_000, 0), START, add("a3", "tmdb:550"));
        fx.send("tv-1", 10, add("a4", "tmdb:550"));

        List<TestRecord<String, byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), Emitter.HEADER_ERROR_CODE))
                .containsExactly("bad_request", "bad_request", "stale", "clock_skew");
        assertThat(header(dead.get(0).headers(), Emitter.HEADER_ERROR_MESSAGE)).startsWith("malformed JSON");
        assertThat(header(dead.get(1).headers(), Emitter.HEADER_ERROR_MESSAGE)).contains("user_id");
        assertThat(header(dead.get(0).headers(), Emitter.HEADER_SOURCE)).isEqualTo("sync.ops.v1-0@0");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");

        List<UserEvent> events = fx.stateEvents();
        assertThat(events).hasSize(2);
        assertThat(((WatchlistState) events.get(1).event()).tags()).containsExactly("tv-1/a4");
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
