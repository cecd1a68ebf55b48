package dev.mediasync.bench;

import dev.mediasync.privacy.DataKey;
import dev.mediasync.privacy.SealedOps;
import dev.mediasync.protocol.MessageCodec;
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

/**
 * Sealing on the hot paths: the gateway seals each op, the processor opens it. Ops of 1,000 users in turn,
 * as a task sees them (each op under another user's key).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SealedOpsBenchmark {

    private static final int USERS = 1_000;

    private final byte[] op = new MessageCodec().encodeOp(Samples.PROGRESS_OP);
    private final String[] users = new String[USERS];
    private final DataKey[] keys = new DataKey[USERS];
    private final byte[][] sealed = new byte[USERS][];
    private int next;

    public SealedOpsBenchmark() {
        for (int u = 0; u < USERS; u++) {
            users[u] = "user-" + u;
            keys[u] = DataKey.generate();
            sealed[u] = SealedOps.seal(users[u], keys[u], op);
        }
    }

    /** Gateway: an op sealed under its user's key. */
    @Benchmark
    public byte[] seal() {
        int u = next = (next + 1) % USERS;
        return SealedOps.seal(users[u], keys[u], op);
    }

    /** Processor: an op opened with its user's key. */
    @Benchmark
    public byte[] open() {
        int u = next = (next + 1) % USERS;
        DataKey key = keys[u];
        return SealedOps.open(users[u], sealed[u], (user, id) -> key);
    }
}
