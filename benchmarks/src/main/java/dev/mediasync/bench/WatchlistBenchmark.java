package dev.mediasync.bench;

import dev.mediasync.clock.Hlc;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One add and one tagless remove of a title, as applied to the stored entry. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WatchlistBenchmark {

    private WatchlistEntry entry = WatchlistEntry.empty().add("phone/keep", Hlc.of(1, 0));
    private long time = 1_764_197_000_000L;

    @Benchmark
    public WatchlistEntry addThenRemove() {
        time += 2;
        entry = entry.add("tv/op", Hlc.of(time, 0)).removeBefore(Hlc.of(time + 1, 0));
        return entry;
    }
}
