package dev.mediasync.processor.topology;

import static dev.mediasync.processor.topology.TopologyFixture.START;
import static dev.mediasync.processor.topology.TopologyFixture.USER;
import static dev.mediasync.processor.topology.TopologyFixture.add;
import static dev.mediasync.processor.topology.TopologyFixture.command;
import static dev.mediasync.processor.topology.TopologyFixture.handoff;
import static dev.mediasync.processor.topology.TopologyFixture.presence;
import static dev.mediasync.processor.topology.TopologyFixture.progress;
import static dev.mediasync.processor.topology.TopologyFixture.remove;
import static dev.mediasync.processor.topology.TopologyFixture.removeDevice;
import static dev.mediasync.processor.topology.TopologyFixture.removeProgress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.EntityRemoved;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics;
import dev.mediasync.topics.Topics.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded entities, per-user caps, the two remove ops and poison-pill isolation, on the real topology. */
class LimitsAndIsolationTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fx;

    /** @param limits {@code sync.processor.limits.*} settings, e.g. {@code "titles=2"}; the defaults for the rest */
    private TopologyFixture start(String... limits) {
        Map<String, String> settings = new HashMap<>();
        for (String limit : limits) {
            int eq = limit.indexOf('=');
            settings.put("sync.processor.limits." + limit.substring(0, eq), limit.substring(eq + 1));
        }
        fx = new TopologyFixture(stateDir, ProcessorProperties.of(settings));
        return fx;
    }

    @AfterEach
    void stop() {
        try {
            fx.assertNothingElseEmitted();
        } finally {
            fx.close();
        }
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private List<ErrorMessage> errorsTo(String device) {
        return fx.commandEvents().stream().filter(e -> device.equals(e.targetDeviceId()))
                .map(UserEvent::event).filter(ErrorMessage.class::isInstance).map(ErrorMessage.class::cast).toList();
    }

    @Test
    void shouldKeepOneTagPerDeviceAfterTwoThousandAddsOfOneTitleFromFiftyDevices() {
        start();
        for (int i = 0; i < 2_000; i++) { // 20,000 on a real broker: ProcessorIT
            fx.send("device-" + i % 50, i, add("a" + i, "tmdb:550"));
        }

        byte[] stored = fx.driver.<String, byte[]>getKeyValueStore(EntityStore.NAME)
                .get(Topics.stateKey(USER, Kind.WATCHLIST, "tmdb:550"));
        assertThat(fx.snapshot(USER).watchlist().get(0).tags()).hasSize(16); // the tags-per-title cap
        assertThat(stored.length).as("stored entry, bytes").isLessThan(1_000);
        List<TestRecord<String, byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).isNotEmpty().allSatisfy(r ->
                assertThat(header(r, Emitter.HEADER_ERROR_CODE)).isEqualTo("limit_exceeded"));
        assertThat(fx.stateEvents()).as("one state event per add taken").hasSize(2_000 - dead.size());
        assertThat(fx.commandEvents()).as("one refusal per add refused").hasSize(dead.size());
    }

    @Test
    void shouldSupersedeADevicesEarlierTagWithItsNewAdd() {
        start();
        fx.send("tv-1", 10, add("a1", "tmdb:550"));
        fx.send("phone", 11, add("b1", "tmdb:550"));
        fx.send("tv-1", 12, add("a2", "tmdb:550"));

        List<UserEvent> events = fx.stateEvents();
        assertThat(((WatchlistState) events.get(events.size() - 1).event()).tags())
                .containsExactly("phone/b1", "tv-1/a2");
    }

    @Test
    void shouldRefuseATitleBeyondTheCapTellTheSenderAndGoOnWithTheNextOp() {
        start("titles=2", "progress=10", "devices=10", "tags-per-title=4");
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.settle();
        fx.send("tv-1", 1, add("a1", "tmdb:1"));
        fx.send("tv-1", 2, add("a2", "tmdb:2"));
        fx.send("tv-1", 3, add("a3", "tmdb:3"));
        fx.send("bob", "tv-9", Hlc.of(START + 4, 0), START + 4, add("b1", "tmdb:3"));

        List<TestRecord<String, byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), Emitter.HEADER_ERROR_CODE)).isEqualTo("limit_exceeded");
        assertThat(errorsTo("tv-1")).singleElement().satisfies(error -> {
            assertThat(error.opId()).isEqualTo("a3");
            assertThat(error.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        });
        assertThat(fx.snapshot(USER).watchlist()).hasSize(2);
        assertThat(fx.snapshot("bob").watchlist()).hasSize(1);
        assertThat(fx.stateEvents()).extracting(e -> ((WatchlistState) e.event()).contentId())
                .containsExactly("tmdb:1", "tmdb:2", "tmdb:3");
    }

    @Test
    void shouldCountARemovedTitleUntilItsWatermarkExpiresThenMakeRoom() {
        start("titles=1", "progress=10", "devices=10", "tags-per-title=4");
        fx.send("tv-1", 1, add("a1", "tmdb:1"));
        fx.send("tv-1", 2, remove("r1", "tmdb:1", null));
        fx.send("tv-1", 3, add("a2", "tmdb:2"));
        assertThat(fx.deadLetters.readRecordsToList()).hasSize(1);
        assertThat(errorsTo("tv-1")).extracting(ErrorMessage::opId).containsExactly("a2");
        assertThat(fx.stateEvents()).hasSize(2);

        long later = Duration.ofDays(31).toMillis();
        fx.send("tv-1", later, add("a3", "tmdb:2"));

        assertThat(fx.deadLetters.isEmpty()).isTrue();
        assertThat(fx.snapshot(USER).watchlist()).extracting(i -> i.contentId()).containsExactly("tmdb:2");
        assertThat(fx.stateEvents()).extracting(e -> ((WatchlistState) e.event()).contentId()).containsExactly("tmdb:2");
    }

    @Test
    void shouldRefuseProgressAndDevicesBeyondTheirCaps() {
        start("titles=10", "progress=1", "devices=1", "tags-per-title=4");
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("phone", 1, presence(PresenceEvent.CONNECT, "s2"));
        fx.send("tv-1", 2, progress("p1", "tmdb:1", 10));
        fx.send("tv-1", 3, progress("p2", "tmdb:2", 10));
        fx.send("tv-1", 4, progress("p3", "tmdb:1", 20));

        assertThat(fx.deadLetters.readRecordsToList()).extracting(r -> header(r, Emitter.HEADER_ERROR_CODE))
                .containsExactly("limit_exceeded", "limit_exceeded");
        assertThat(fx.snapshot(USER).devices()).extracting(d -> d.deviceId()).containsExactly("tv-1");
        assertThat(errorsTo("phone")).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(error.opId()).as("a connect has no op id").isNull();
        });
        assertThat(fx.snapshot(USER).progress()).singleElement()
                .satisfies(p -> assertThat(p.position().positionSeconds()).isEqualTo(20));
        assertThat(fx.stateEvents()).extracting(e -> e.event().getClass().getSimpleName())
                .containsExactly("DeviceState", "ProgressState", "ProgressState");
    }

    @Test
    void shouldDeadLetterAnOpThatFailsWhileAppliedAndApplyTheNext() {
        start();
        KeyValueStore<String, byte[]> store = fx.driver.getKeyValueStore(EntityStore.NAME);
        store.put(Topics.stateKey(USER, Kind.PROGRESS, "tmdb:550"), "{\"type\":\"garbage\"}".getBytes());

        fx.send("tv-1", 1, progress("p1", "tmdb:550", 10));
        fx.send("tv-1", 2, progress("p2", "tmdb:551", 10));
        fx.send("bob", "tv-9", Hlc.of(START + 3, 0), START + 3, progress("b1", "tmdb:550", 10));

        List<TestRecord<String, byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(header(r, Emitter.HEADER_ERROR_CODE)).isEqualTo("internal");
            assertThat(header(r, Emitter.HEADER_SOURCE)).isEqualTo("sync.ops.v1-0@0");
        });
        assertThat(errorsTo("tv-1")).extracting(ErrorMessage::code).containsExactly(ErrorCode.INTERNAL);
        assertThat(fx.snapshot("bob").progress()).hasSize(1);
        assertThat(fx.stateEvents()).extracting(e -> ((ProgressState) e.event()).contentId())
                .containsExactly("tmdb:551", "tmdb:550");
    }

    @Test
    void shouldRemoveProgressAsATombstoneKeepALateOlderWriteOutAndLetALaterWriteBack() {
        start();
        fx.send("tv-1", 10, progress("p1", "tmdb:550", 100));
        fx.send("phone", 20, removeProgress("r1", "tmdb:550"));
        fx.send(USER, "tablet", Hlc.of(START + 15, 0), START + 30, progress("p2", "tmdb:550", 150));

        List<TestRecord<String, byte[]>> records = fx.stateRecords();
        assertThat(records).hasSize(3);
        assertThat(records.get(1).value()).as("a tombstone").isNull();
        assertThat(records.get(2).value()).as("the late older write loses: the tombstone again").isNull();
        UserEvent removed = fx.codec.decodeEvent(records.get(1).headers().lastHeader(Topics.HEADER_EVENT).value());
        assertThat(removed.event()).isEqualTo(new EntityRemoved(Kind.PROGRESS, "tmdb:550", Hlc.of(START + 20, 0)));
        assertThat(fx.snapshot(USER).progress()).isEmpty();

        fx.send("tablet", 40, progress("p3", "tmdb:550", 200));
        assertThat(fx.snapshot(USER).progress()).singleElement()
                .satisfies(p -> assertThat(p.opId()).isEqualTo("p3"));
        assertThat(fx.stateEvents()).extracting(e -> ((ProgressState) e.event()).opId()).containsExactly("p3");
    }

    @Test
    void shouldForgetAnOfflineDeviceIgnoreItsOlderOpsAndRefuseAnOnlineOne() {
        start();
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("phone", 1, presence(PresenceEvent.CONNECT, "s2"));
        fx.settle();
        fx.send("phone", 2, removeDevice("r1", "tv-1"));
        assertThat(errorsTo("phone")).extracting(ErrorMessage::code).containsExactly(ErrorCode.FORBIDDEN);

        fx.send("tv-1", 3, presence(PresenceEvent.DISCONNECT, "s1"));
        fx.send("phone", 4, removeDevice("r2", "tv-1"));
        fx.send(USER, "tv-1", Hlc.of(START + 3, 5), START + 5, presence(PresenceEvent.HEARTBEAT, "s1"));
        assertThat(fx.snapshot(USER).devices()).extracting(d -> d.deviceId()).containsExactly("phone");
        List<TestRecord<String, byte[]>> records = fx.stateRecords();
        assertThat(records.get(records.size() - 1).value()).isNull();
        assertThat(records.get(records.size() - 1).key()).isEqualTo("alice|device|tv-1");

        fx.send("tv-1", 10, presence(PresenceEvent.CONNECT, "s3"));
        assertThat(fx.snapshot(USER).devices()).extracting(d -> d.deviceId()).containsExactly("phone", "tv-1");
        fx.send("phone", 11, removeDevice("r3", "toaster"));
        assertThat(errorsTo("phone")).extracting(ErrorMessage::code).containsExactly(ErrorCode.UNKNOWN_DEVICE);
        assertThat(fx.stateEvents()).extracting(e -> ((DeviceState) e.event()).deviceId()).containsExactly("tv-1");
    }

    @Test
    void shouldPauseTheSourceOfAHandoff() {
        start();
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.send("phone", 1, presence(PresenceEvent.CONNECT, "s2"));
        fx.send("phone", 5, progress("p1", "tmdb:550", 3245));
        fx.settle();

        fx.send("phone", 10, handoff("h1", "tv-1", "tmdb:550"));

        List<UserEvent> commands = fx.commandEvents();
        assertThat(commands).extracting(UserEvent::targetDeviceId).containsExactly("tv-1", "phone");
        DeviceCommand pause = (DeviceCommand) commands.get(1).event();
        assertThat(pause.command()).isEqualTo(CommandType.PAUSE);
        assertThat(pause.commandId()).isEqualTo("phone/h1:pause");
        assertThat(pause.positionSeconds()).isEqualTo(3245.0);
    }

    @Test
    void shouldRefuseACommandTheTargetsCapabilitiesCannotPerform() {
        start();
        fx.send("tv-1", 0, new DeviceRegister(null, "TV", Platform.TV, List.of("4k", "cast")));
        fx.send("speaker", 1, new DeviceRegister(null, "Speaker", Platform.OTHER, List.of("4k")));
        fx.send("phone", 2, presence(PresenceEvent.CONNECT, "s2"));
        fx.settle();

        fx.send("phone", 10, command("c1", "tv-1", CommandType.PLAY, null));
        fx.send("phone", 11, command("c2", "speaker", CommandType.CAST, null));
        fx.send("phone", 12, command("c3", "tv-1", CommandType.CAST, null));
        fx.send("phone", 13, command("c4", "speaker", CommandType.PAUSE, null));

        List<UserEvent> commands = fx.commandEvents();
        assertThat(commands).extracting(e -> e.event() instanceof ErrorMessage error ? error.opId() + ":" + error.code()
                : ((DeviceCommand) e.event()).commandId())
                .containsExactly("c1:UNSUPPORTED_COMMAND", "c2:UNSUPPORTED_COMMAND", "phone/c3", "phone/c4");
    }

    @Test
    void shouldCountOrdinaryOpsAsActivitySoABusyDeviceStaysOnline() {
        start();
        fx.send("tv-1", 0, presence(PresenceEvent.CONNECT, "s1"));
        fx.advanceWallClock(Duration.ofSeconds(40));
        fx.send("tv-1", 40_000, progress("p1", "tmdb:1", 10));
        fx.advanceWallClock(Duration.ofSeconds(40));

        assertThat(fx.snapshot(USER).devices()).singleElement().satisfies(d -> assertThat(d.online()).isTrue());
        assertThat(fx.stateEvents()).extracting(e -> e.event().getClass().getSimpleName())
                .as("online, then the progress; no offline").containsExactly("DeviceState", "ProgressState");
        assertThat(fx.opsWritten()).as("no timeout").isEmpty();
    }
}
