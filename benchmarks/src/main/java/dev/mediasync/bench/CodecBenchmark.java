package dev.mediasync.bench;

import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
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

/** The codec on the hot paths: a device frame in, an op-log record in and out, a state record out. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private final MessageCodec codec = new MessageCodec();
    private final byte[] storedOp = codec.encodeOp(Samples.PROGRESS_OP);

    /** Gateway: a device's progress_update frame, parsed and validated. */
    @Benchmark
    public ClientRequest decodeClientFrame() {
        return codec.decodeClient(Samples.PROGRESS_FRAME);
    }

    /** Processor: an op-log record, parsed and validated. */
    @Benchmark
    public Op decodeStoredOp() {
        return codec.decodeOp(storedOp);
    }

    /** Gateway: the op written to Kafka. */
    @Benchmark
    public byte[] encodeStoredOp() {
        return codec.encodeOp(Samples.PROGRESS_OP);
    }

    /** Processor: the resolved progress_state written to the state topic. */
    @Benchmark
    public byte[] encodeStateEvent() {
        return codec.encodeEvent(Samples.PROGRESS_STATE);
    }
}
