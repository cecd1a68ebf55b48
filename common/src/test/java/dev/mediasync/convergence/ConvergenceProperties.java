package dev.mediasync.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.convergence.History.Kind;
import dev.mediasync.convergence.History.Step;
import dev.mediasync.convergence.History.TestOp;
import dev.mediasync.watchlist.Tag;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Replicas that receive the same ops in any order (each device's own ops too: clients pipeline and resend
 * them; only a remove comes after the adds it names), with any ops delivered again, end in the same
 * state: the one the merge rules define from the set of ops. Small ranges of times, devices and titles
 * force ties and conflicts.
 */
class ConvergenceProperties {

    private static final int REPLICAS = 4;

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1_000, 1_006),
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, Integer.MAX_VALUE)).as(Step::new).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void everyInterleavingWithDuplicatesConvergesToTheStateTheRulesDefine(
            @ForAll("steps") List<Step> steps, @ForAll Random random, @ForAll @IntRange(max = 20) int duplicates) {
        History history = History.of(steps);

        for (int r = 0; r < REPLICAS; r++) {
            Replica replica = new Replica(true);
            history.deliveryOrder(random, duplicates).forEach(replica::deliver);

            assertThat(replica.watchlist()).isEqualTo(history.expectedWatchlist());
            assertThat(replica.progress()).isEqualTo(history.expectedProgress());
        }
    }

    /**
     * The op-id ledger guards efficiency, not correctness: duplicates beyond its window (here, no ledger at
     * all), of adds, removes and progress alike, in any order, change nothing.
     */
    @Property(tries = 500)
    void duplicatesChangeNothingEvenWithoutTheLedger(
            @ForAll("steps") List<Step> steps, @ForAll Random random,
            @ForAll @IntRange(max = 20) int duplicates) {
        History history = History.of(steps);

        for (int r = 0; r < REPLICAS; r++) {
            Replica replica = new Replica(false);
            history.deliveryOrder(random, duplicates).forEach(replica::deliver);

            assertThat(replica.watchlist()).isEqualTo(history.expectedWatchlist());
            assertThat(replica.progress()).isEqualTo(history.expectedProgress());
        }
    }

    @Property
    void anAddConcurrentWithARemoveSurvives(@ForAll @LongRange(min = 1, max = 5) long addMs,
                                            @ForAll @LongRange(min = 1, max = 5) long concurrentMs,
                                            @ForAll @LongRange(min = 1, max = 5) long removeMs,
                                            @ForAll Random random) {
        // tv adds; phone sees the tv's tag and removes it; tablet adds concurrently, unseen by the phone.
        History history = History.of(List.of(
                new Step(0, Kind.ADD, 0, addMs, 0, 0, 0),
                new Step(1, Kind.REMOVE_OBSERVED, 0, removeMs, 1, 0, 1),
                new Step(2, Kind.ADD, 0, concurrentMs, 0, 0, 0)));
        assertThat(history.ops().get(1).observedTags()).containsExactly(history.ops().get(0).tag());

        Replica replica = new Replica(true);
        history.deliveryOrder(random, 2).forEach(replica::deliver);

        assertThat(replica.watchlist().contains("tmdb:0")).isTrue();
        assertThat(replica.watchlist().entry("tmdb:0").tags()).containsOnlyKeys(history.ops().get(2).tag());
    }

    @Property(tries = 300)
    void aTitleHoldsAtMostOneTagPerDeviceWhateverTheNumberOfAdds(@ForAll("steps") List<Step> steps,
                                                                 @ForAll Random random) {
        Replica replica = new Replica(true);
        History.of(steps).deliveryOrder(random, 5).forEach(replica::deliver);

        replica.watchlist().entries().values().forEach(entry -> assertThat(entry.tags().keySet().stream()
                .map(Tag::deviceOf)).doesNotHaveDuplicates());
    }

    @Property
    void aResentOpChangesNothing(@ForAll("steps") List<Step> steps, @ForAll Random random) {
        History history = History.of(steps);
        if (history.ops().isEmpty()) {
            return;
        }
        Replica replica = new Replica(true);
        history.deliveryOrder(random, 0).forEach(replica::deliver);
        var watchlist = replica.watchlist();
        var progress = Map.copyOf(replica.progress());

        TestOp resent = history.ops().get(random.nextInt(history.ops().size()));
        replica.deliver(resent);

        assertThat(replica.watchlist()).isEqualTo(watchlist);
        assertThat(replica.progress()).isEqualTo(progress);
    }

    @Property
    void aTaglessRemoveWinsOverEveryOlderAddWheneverItArrives(@ForAll @LongRange(min = 1, max = 100) long addMs,
                                                             @ForAll @LongRange(min = 1, max = 100) long removeMs,
                                                             @ForAll Random random) {
        History history = History.of(List.of(
                new Step(0, Kind.ADD, 0, addMs, 0, 0, 0),
                new Step(1, Kind.REMOVE_BEFORE, 0, removeMs, 0, 0, 0)));

        Replica replica = new Replica(true);
        history.deliveryOrder(random, 1).forEach(replica::deliver);

        assertThat(replica.watchlist().contains("tmdb:0")).isEqualTo(!Hlc.of(addMs, 0).isBefore(Hlc.of(removeMs, 0)));
    }
}
