package dev.mediasync.loadgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One open-loop run at a fixed offered rate: op i is due at {@code start + i / rate}; its sender is the
 * first device of user {@code i mod U}. Latencies are measured from the due time, not the send time, so
 * a stall of the sender or the platform shows up instead of being hidden (no coordinated omission).
 * Ack latency: due time to the sender's {@code ack}; propagation: due time to the {@code progress_state}
 * carrying the op's id at the user's second device.
 */
final class PropagationRun {

    /**
     * @param cpu    what the measured window cost (warm-up and the wait for the last op's delivery outside it)
     * @param stalls the JVM stops behind the slowest updates, or null when no stop was logged
     */
    record Result(int rate, int sent, int acked, int propagated, int errors, Histogram ack, Histogram propagation,
                  double seconds, ProcessCpu.Window cpu, StallReport.Result stalls) {
    }

    /** A measured update at or above the run's p99: when it was due (epoch ms) and how long it took. */
    record SlowUpdate(long dueEpochMs, double millis) {
    }

    /** Slow updates kept for the stall report, at most. */
    private static final int SLOWEST_KEPT = 500;

    private final List<List<Device>> users;
    private final String runId;
    private final int rate;
    private final int total;
    private final int warmupOps;
    private final long[] due;
    private final AtomicIntegerArray seen;
    /** Each op's propagation, for the slowest ones' times; written once per op, by the frame that brought it. */
    private final long[] propagationNanos;
    /** {@code System.currentTimeMillis()} minus {@code System.nanoTime()} in ms, to date the due times. */
    private final long epochOffsetMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
    private final Recorder ackLatency = new Recorder(3);
    private final Recorder propagationLatency = new Recorder(3);
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger propagated = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    PropagationRun(List<List<Device>> users, String runId, int rate, int seconds, int warmupSeconds) {
        this.users = users;
        this.runId = runId;
        this.rate = rate;
        this.total = rate * (seconds + warmupSeconds);
        this.warmupOps = rate * warmupSeconds;
        this.due = new long[total];
        this.seen = new AtomicIntegerArray(total);
        this.propagationNanos = new long[total];
    }

    /** Frames from every device of the run go here. */
    void onFrame(Device device, String frame) {
        long now = System.nanoTime();
        if (frame.startsWith("{\"type\":\"error\"")) {
            errors.incrementAndGet();
            return;
        }
        boolean ack = frame.startsWith("{\"type\":\"ack\"");
        boolean state = !ack && frame.startsWith("{\"type\":\"progress_state\"") && device.id.endsWith("-1");
        if (!ack && !state) {
            return;
        }
        int op = opIndex(frame);
        if (op < 0) {
            return;
        }
        if (ack) {
            acked.incrementAndGet();
            if (op >= warmupOps) {
                ackLatency.recordValue(now - due[op]);
            }
        } else if (seen.compareAndSet(op, 0, 1)) {
            if (op >= warmupOps) {
                propagationLatency.recordValue(now - due[op]);
                propagationNanos[op] = now - due[op]; // before the count the run waits on, so it sees this
            }
            propagated.incrementAndGet();
        }
    }

    private List<SlowUpdate> slowest(Histogram propagation) {
        if (propagation.getTotalCount() == 0) {
            return List.of();
        }
        long p99 = propagation.getValueAtPercentile(99);
        List<SlowUpdate> slow = new ArrayList<>();
        for (int op = warmupOps; op < total; op++) {
            if (propagationNanos[op] >= p99) {
                slow.add(new SlowUpdate(epochOffsetMs + due[op] / 1_000_000, propagationNanos[op] / 1e6));
            }
        }
        slow.sort(Comparator.comparingDouble(SlowUpdate::millis).reversed());
        return List.copyOf(slow.subList(0, Math.min(SLOWEST_KEPT, slow.size())));
    }

    /** The index of an op id {@code <runId>-<index>} in the frame, or -1 for another run's op. */
    private int opIndex(String frame) {
        int at = frame.indexOf("\"op_id\":\"");
        if (at < 0 || !frame.startsWith(runId, at + 9) || frame.charAt(at + 9 + runId.length()) != '-') {
            return -1;
        }
        int start = at + 10 + runId.length();
        int end = frame.indexOf('"', start);
        int index = Integer.parseInt(frame, start, end, 10);
        return index < total ? index : -1;
    }

    /**
     * @param cpu    read when the first measured op is due and again when the last one's period ends, so the
     *               CPU window is the steady state the latencies describe: connections open, warm-up done
     * @param gcLogs where the JVMs log their stops, for the stall report; null: none
     */
    Result run(ProcessCpu cpu, Path gcLogs) {
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < total; i++) {
            due[i] = start + i * period;
        }
        ackLatency.reset();
        propagationLatency.reset();
        ProcessCpu.Sample windowStart = null;
        PerfStat perf = null;
        for (int i = 0; i < total; i++) {
            long wait = due[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pace, never spin: the platform shares these cores
            }
            if (i == warmupOps) {
                windowStart = cpu.sample();
                perf = cpu.perfStat((total - warmupOps) / rate);
            }
            List<Device> devices = users.get(i % users.size());
            devices.get(0).send("{\"type\":\"progress_update\",\"op_id\":\"" + runId + "-" + i
                    + "\",\"content_id\":\"tmdb:" + (i % 20) + "\",\"position_seconds\":" + (i % 8000)
                    + ",\"duration_seconds\":8217,\"state\":\"playing\"}")
                    .exceptionally(failure -> {
                        errors.incrementAndGet(); // never sent: shows as an error, not as a slow op
                        return null;
                    });
        }
        LockSupport.parkNanos(due[total - 1] + period - System.nanoTime());
        ProcessCpu.Window window = perf.compare(ProcessCpu.between(windowStart, cpu.sample(), total - warmupOps));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((propagated.get() < total || acked.get() < total) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        double seconds = (double) total / rate;
        Histogram propagation = propagationLatency.getIntervalHistogram();
        StallReport.Result stalls = gcLogs == null ? null : StallReport.of(slowest(propagation), StallReport.read(gcLogs),
                epochOffsetMs + due[warmupOps] / 1_000_000, epochOffsetMs + (due[total - 1] + period) / 1_000_000);
        return new Result(rate, total, acked.get(), propagated.get(), errors.get(),
                ackLatency.getIntervalHistogram(), propagation, seconds, window, stalls);
    }
}
