package dev.mediasync.gateway.fanout;

import dev.mediasync.gateway.base.DaemonThreads;
import dev.mediasync.gateway.base.GatewayProperties.Delivery;
import dev.mediasync.gateway.base.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the events of this gateway's devices on one thread and hands each to the {@link StateFanOut}.
 * Routed (the default), it reads only its own slot's partition of {@code sync.deliveries.v1}, where the
 * processor writes each event once per slot holding a device of its user; with {@code delivery: all} it
 * reads every partition of the state and command topics. Either way the partitions are assigned, not
 * subscribed: no consumer group, no rebalance, nothing left behind by a restart. It starts at the end
 * (what was written before a device connected is in that device's snapshot); a reader that fails is made
 * again and resumes where it was.
 */
@Component
public class DeliveryReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReader.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long TOPIC_RETRY_MS = 2_000;
    private static final long RETRY_MS = 1_000;

    private final ConsumerFactory<String, byte[]> consumers;
    private final StateFanOut fanOut;
    private final GatewayProperties properties;
    private final Counter records;
    private final Counter bytes;
    private volatile boolean assigned;
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public DeliveryReader(ConsumerFactory<String, byte[]> consumers, StateFanOut fanOut, GatewayProperties properties,
                          MeterRegistry meters) {
        this.consumers = consumers;
        this.fanOut = fanOut;
        this.properties = properties;
        this.records = Counter.builder("sync.gateway.delivery.records")
                .description("Event records this gateway read (routed: its slot's deliveries; all: every event)")
                .register(meters);
        this.bytes = Counter.builder("sync.gateway.delivery.bytes")
                .description("Bytes of keys, values and headers of the event records this gateway read")
                .baseUnit("bytes").register(meters);
    }

    /** Whether the partitions are assigned and positioned, so no event can fall between a snapshot and the stream. */
    public boolean isAssigned() {
        return assigned;
    }

    /** Records read since start (the routed-delivery tests and the benchmark read it). */
    public long recordsRead() {
        return (long) records.count();
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = DaemonThreads.named("delivery-reader").newThread(this::run);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Reads until stopped; a reader that fails is made again within a second, resuming where it was. */
    private void run() {
        Map<TopicPartition, Long> resumeAt = new HashMap<>();
        while (running) {
            try {
                read(resumeAt);
                return;
            } catch (WakeupException stopping) {
                return; // stop() woke the poll
            } catch (RuntimeException e) {
                log.warn("The delivery reader failed; reading again in 1 s from where it was: {}", e.toString());
                try {
                    Thread.sleep(RETRY_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void read(Map<TopicPartition, Long> resumeAt) {
        Properties noGroup = new Properties();
        noGroup.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        noGroup.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // the processor creates the topics with their partitions; a lookup must not create one with the broker's default
        noGroup.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (Consumer<String, byte[]> reader = consumers.createConsumer(null, "delivery-" + properties.slot(), null,
                noGroup)) {
            consumer = reader;
            List<TopicPartition> partitions = partitions(reader);
            if (partitions.isEmpty()) {
                return; // stopped while waiting for the topics
            }
            reader.assign(partitions);
            reader.seekToEnd(partitions);
            resumeAt.forEach((partition, offset) -> {
                if (partitions.contains(partition)) {
                    reader.seek(partition, offset);
                }
            });
            partitions.forEach(reader::position); // fixes the start now, before the gateway reports ready
            assigned = true;
            log.info("Reading {} ({} delivery)", partitions, properties.delivery().name().toLowerCase());
            while (running) {
                ConsumerRecords<String, byte[]> polled = reader.poll(POLL);
                for (ConsumerRecord<String, byte[]> record : polled) {
                    count(record);
                    try {
                        fanOut.onEvent(record);
                    } catch (RuntimeException e) {
                        // one record that cannot be pushed must not stop the others: skip it
                        log.warn("Skipping the event record at {}-{}@{}: {}", record.topic(), record.partition(),
                                record.offset(), e.toString());
                    }
                }
                for (TopicPartition partition : polled.partitions()) {
                    List<ConsumerRecord<String, byte[]>> read = polled.records(partition);
                    resumeAt.put(partition, read.get(read.size() - 1).offset() + 1);
                }
            }
        } finally {
            assigned = false;
            consumer = null;
        }
    }

    private void count(ConsumerRecord<String, byte[]> record) {
        records.increment();
        long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        for (var header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        bytes.increment(size);
    }

    /** The partitions to read, once the topics exist (the processor creates them); empty when stopped first. */
    private List<TopicPartition> partitions(Consumer<String, byte[]> reader) {
        while (running) {
            try {
                List<TopicPartition> partitions = properties.delivery() == Delivery.ROUTED ? slot(reader)
                        : all(reader, List.of(properties.topics().state(), properties.topics().commands()));
                if (!partitions.isEmpty()) {
                    return partitions;
                }
            } catch (RuntimeException e) {
                log.warn("Cannot read the event topics' partitions yet: {}", e.toString());
            }
            try {
                Thread.sleep(TOPIC_RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private List<TopicPartition> slot(Consumer<String, byte[]> reader) {
        String topic = properties.topics().deliveries();
        List<PartitionInfo> infos = reader.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            log.info("Waiting for {} (the state processor creates it)", topic);
            return List.of();
        }
        if (properties.slot() >= infos.size()) {
            log.error("sync.gateway.slot is {} but {} has {} partitions (slots 0-{}): raise "
                    + "sync.processor.delivery-slots or give this gateway a lower slot; not ready until then",
                    properties.slot(), topic, infos.size(), infos.size() - 1);
            return List.of();
        }
        return List.of(new TopicPartition(topic, properties.slot()));
    }

    private static List<TopicPartition> all(Consumer<String, byte[]> reader, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = reader.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }
}
