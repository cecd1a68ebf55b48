package dev.mediasync.bench;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** LWW merges per second: newer wins, older loses, and the equal-timestamp device tie-break. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LwwMergeBenchmark {

    private final LwwRegister<PlaybackPosition>[] writes = newArray(1024);
    private int next;

    @SuppressWarnings("unchecked")
    private static LwwRegister<PlaybackPosition>[] newArray(int size) {
        return new LwwRegister[size];
    }

    @Setup
    public void setUp() {
        for (int i = 0; i < writes.length; i++) {
            // few distinct times, several devices: a third of the merges hit the device tie-break
            writes[i] = new LwwRegister<>(new PlaybackPosition(i, 8217, PlaybackState.PLAYING),
                    Hlc.of(1_764_197_000_000L + i % 7, i % 2), "device-" + i % 3, "op-" + i);
        }
    }

    @Benchmark
    public LwwRegister<PlaybackPosition> merge() {
        LwwRegister<PlaybackPosition> a = writes[next++ & 1023];
        return a.merge(writes[next & 1023]);
    }
}
