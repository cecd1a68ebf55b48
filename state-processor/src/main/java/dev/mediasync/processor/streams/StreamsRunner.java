package dev.mediasync.processor.streams;

import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.emit.PartitionVersions;
import dev.mediasync.processor.topology.ProcessorMetrics;
import dev.mediasync.processor.topology.SyncTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the Kafka Streams application for the lifetime of the Spring context. Started after the topics
 * exist (KafkaAdmin creates them while the context refreshes), closed cleanly on shutdown so the next
 * start finds its RocksDB stores consistent and need not restore them.
 */
@Component
public class StreamsRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);

    private final KafkaStreams streams;
    private final PartitionVersions versions = new PartitionVersions();
    private final KafkaStreamsMetrics streamsMetrics;
    private final MeterRegistry registry;
    private volatile boolean running;
    private volatile boolean reachedRunning;

    public StreamsRunner(ProcessorProperties properties, MeterRegistry registry, KafkaProperties kafka) {
        String bootstrapServers = String.join(",", kafka.getBootstrapServers());
        this.registry = registry;
        this.streams = new KafkaStreams(SyncTopology.build(properties, new ProcessorMetrics(registry), versions),
                SyncTopology.streamsConfig(properties, bootstrapServers));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        // A thread that dies of an unexpected error is replaced; ops that fail are dead-lettered before this.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("A stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((next, previous) -> {
            log.info("Kafka Streams {} -> {}", previous, next);
            if (next == KafkaStreams.State.RUNNING) {
                reachedRunning = true;
            }
        });
    }

    @Override
    public void start() {
        streamsMetrics.bindTo(registry);
        streams.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // Leave the group on a clean stop: the partitions move at once instead of after the session timeout.
        streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
        streamsMetrics.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PartitionVersions versions() {
        return versions;
    }

    /** True once the stores were restored and processing began, until the application stops or fails. */
    public boolean isReady() {
        KafkaStreams.State state = streams.state();
        return reachedRunning && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    }
}
