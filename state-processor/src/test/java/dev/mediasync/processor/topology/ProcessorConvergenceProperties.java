package dev.mediasync.processor.topology;

import static dev.mediasync.processor.topology.TopologyFixture.START;
import static dev.mediasync.processor.topology.TopologyFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.ProcessorProperties.Profile;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.protocol.DeviceRemove;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.watchlist.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The processor itself (the real topology, RocksDB stores and op-id ledger) as a replica: the same ops,
 * delivered in any order (each device's own too: clients pipeline and resend), with any op resent later,
 * within the op-id ledger's window or long after it, end in the state the merge rules define from the
 * set of ops: one tag per device and title (a device's latest-stamped add supersedes its others), the
 * remove watermark, and progress as a last-writer-wins register in which a remove is a write of "no
 * progress". Small ranges of times, devices and titles force ties and conflicts.
 */
class ProcessorConvergenceProperties {

    enum Kind { ADD, REMOVE, PROGRESS, PROGRESS_REMOVE }

    record Step(int device, Kind kind, int content, long ms, int logical) {
    }

    record TestOp(int index, String deviceId, String opId, Kind kind, String contentId, Hlc timestamp) {

        OpBody body() {
            return switch (kind) {
                case ADD -> TopologyFixture.add(opId, contentId);
                case REMOVE -> TopologyFixture.remove(opId, contentId, null);
                case PROGRESS -> TopologyFixture.progress(opId, contentId, index);
                case PROGRESS_REMOVE -> TopologyFixture.removeProgress(opId, contentId);
            };
        }

        LwwRegister<Kind> register() {
            return new LwwRegister<>(kind, timestamp, deviceId, opId);
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 1),
                Arbitraries.longs().between(1_000, 1_004),
                Arbitraries.integers().between(0, 1)).as(Step::new).list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 40)
    void everyInterleavingWithResendsEndsInTheStateTheRulesDefine(@ForAll("steps") List<Step> steps,
                                                                   @ForAll Random random,
                                                                   @ForAll @IntRange(max = 6) int resends,
                                                                   @ForAll @IntRange(max = 4) int lateResends) {
        List<TestOp> ops = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            ops.add(new TestOp(i, "d" + step.device(), "o" + i, step.kind(), "tmdb:" + step.content(),
                    Hlc.of(START + step.ms(), step.logical())));
        }
        // one replica with the live profile, one with a replay's (cached stores must not change a merge)
        for (Profile profile : Profile.values()) {
            Snapshot snapshot = replay(deliveryOrder(ops, random, resends), late(ops, random, lateResends), profile);

            assertThat(watchlistOf(snapshot)).isEqualTo(expectedWatchlist(ops));
            assertThat(progressOf(snapshot)).isEqualTo(expectedProgress(ops));
        }
    }

    @Property(tries = 30)
    void aForgottenDeviceStaysForgottenWhateverOlderOpsArriveAndComesBackWithANewerOne(
            @ForAll @IntRange(min = 0, max = 8) int olderOps, @ForAll Random random) {
        List<Runnable> sends = new ArrayList<>();
        Path dir = tempDir();
        try (TopologyFixture fx = new TopologyFixture(dir, ProcessorProperties.defaults())) {
            fx.send("tv-1", 0, new DevicePresence(PresenceEvent.CONNECT, "s1"));
            fx.send("tv-1", 1, new DevicePresence(PresenceEvent.DISCONNECT, "s1"));
            fx.send("phone", 100, new DeviceRemove("r1", "tv-1"));
            for (int i = 0; i < olderOps; i++) {
                long stampedAt = START + random.nextInt(101); // at or before the remove
                PresenceEvent event = PresenceEvent.values()[random.nextInt(PresenceEvent.values().length)];
                sends.add(() -> fx.send(USER, "tv-1", Hlc.of(stampedAt, 0), START + 200,
                        new DevicePresence(event, "s" + stampedAt, event == PresenceEvent.TIMEOUT ? stampedAt : null)));
            }
            sends.forEach(Runnable::run);
            assertThat(fx.snapshot(USER).devices()).noneMatch(d -> d.deviceId().equals("tv-1"));

            fx.send("tv-1", 300, new DevicePresence(PresenceEvent.CONNECT, "s9"));
            assertThat(fx.snapshot(USER).devices()).anyMatch(d -> d.deviceId().equals("tv-1") && d.online());
        } finally {
            delete(dir);
        }
    }

    /** A random order of all ops, each device's own too, with some ops sent again later (same op id). */
    private static List<TestOp> deliveryOrder(List<TestOp> ops, Random random, int resends) {
        List<TestOp> order = new ArrayList<>(ops);
        Collections.shuffle(order, random);
        for (int r = 0; r < resends; r++) {
            int original = random.nextInt(order.size());
            order.add(original + 1 + random.nextInt(order.size() - original), order.get(original));
        }
        return order;
    }

    /** Ops resent once more after the op-id ledger has forgotten them. */
    private static List<TestOp> late(List<TestOp> ops, Random random, int count) {
        return random.ints(count, 0, ops.size()).mapToObj(ops::get).toList();
    }

    private static Snapshot replay(List<TestOp> order, List<TestOp> late, Profile profile) {
        Path dir = tempDir();
        ProcessorProperties properties = ProcessorProperties.of(Map.of("sync.processor.profile", profile.name()));
        try (TopologyFixture fx = new TopologyFixture(dir, properties)) {
            for (int i = 0; i < order.size(); i++) {
                TestOp op = order.get(i);
                fx.send(USER, op.deviceId(), op.timestamp(), START + 10_000 + i, op.body());
            }
            long beyondTheLedger = START + 10_000 + order.size() + properties.dedupWindow().toMillis() + 60_000;
            for (int i = 0; i < late.size(); i++) {
                TestOp op = late.get(i);
                fx.send(USER, op.deviceId(), op.timestamp(), beyondTheLedger + i, op.body());
            }
            assertThat(fx.deadLetters.isEmpty()).isTrue();
            return fx.snapshot(USER);
        } finally {
            delete(dir);
        }
    }

    /** Live tags per title: each device's latest add by (timestamp, tag), unless below the title's watermark. */
    private static Map<String, Set<String>> expectedWatchlist(List<TestOp> ops) {
        Map<String, Hlc> watermarks = new HashMap<>();
        Map<String, TestOp> latestAdd = new LinkedHashMap<>();
        Comparator<TestOp> byStamp = Comparator.comparing(TestOp::timestamp)
                .thenComparing(op -> Tag.of(op.deviceId(), op.opId()));
        for (TestOp op : ops) {
            if (op.kind() == Kind.REMOVE) {
                watermarks.merge(op.contentId(), op.timestamp(), Hlc::max);
            } else if (op.kind() == Kind.ADD) {
                latestAdd.merge(op.deviceId() + ' ' + op.contentId(), op, BinaryOperator.maxBy(byStamp));
            }
        }
        Map<String, Set<String>> live = new TreeMap<>();
        for (TestOp add : latestAdd.values()) {
            Hlc watermark = watermarks.get(add.contentId());
            if (watermark == null || !add.timestamp().isBefore(watermark)) {
                live.computeIfAbsent(add.contentId(), c -> new TreeSet<>()).add(Tag.of(add.deviceId(), add.opId()));
            }
        }
        return live;
    }

    /** The winning write per title, by (timestamp, device, op id); none when the winner is a remove. */
    private static Map<String, String> expectedProgress(List<TestOp> ops) {
        Map<String, LwwRegister<Kind>> winners = new TreeMap<>();
        ops.stream().filter(op -> op.kind() == Kind.PROGRESS || op.kind() == Kind.PROGRESS_REMOVE)
                .forEach(op -> winners.merge(op.contentId(), op.register(), LwwRegister::merge));
        Map<String, String> progress = new TreeMap<>();
        winners.forEach((content, winner) -> {
            if (winner.value() == Kind.PROGRESS) {
                progress.put(content, winner.opId());
            }
        });
        return progress;
    }

    private static Map<String, Set<String>> watchlistOf(Snapshot snapshot) {
        return snapshot.watchlist().stream().collect(Collectors.toMap(WatchlistItem::contentId,
                item -> new TreeSet<>(item.tags()), (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> progressOf(Snapshot snapshot) {
        return snapshot.progress().stream().collect(Collectors.toMap(ProgressState::contentId, ProgressState::opId,
                (a, b) -> a, TreeMap::new));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("convergence");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
