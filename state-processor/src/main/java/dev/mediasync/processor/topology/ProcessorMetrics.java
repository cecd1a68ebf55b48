package dev.mediasync.processor.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** What the processor counts and times; names are {@code sync.processor.*}. */
public final class ProcessorMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> applied = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Timer merge;
    private final Timer endToEnd;

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.merge = Timer.builder("sync.processor.merge.latency")
                .description("Time to apply one op to the stores and emit its result")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.endToEnd = Timer.builder("sync.processor.record.latency")
                .description("From the gateway receiving an op to the processor having applied it")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void applied(String type, long startNanos, long receivedAtMs, long nowMs) {
        applied.computeIfAbsent(type, t -> Counter.builder("sync.processor.ops.applied").tag("type", t)
                .description("Ops applied, by type").register(registry)).increment();
        merge.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        endToEnd.record(Duration.ofMillis(Math.max(0, nowMs - receivedAtMs)));
    }

    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("sync.processor.ops.rejected").tag("reason", r)
                .description("Ops dead-lettered or refused, by reason").register(registry)).increment();
    }
}
