package dev.mediasync.relay;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Which relay reads PubNub's here_now: the one consumer of group {@code presence-lease-group} that is
 * assigned partition 0 of {@code presence-lease-topic} (created with one). However many relays run, one holds it;
 * when it stops, its partition moves to another at once, and when it dies, after {@code
 * presence-lease-timeout} (the group's session timeout), within one presence interval. Nothing is ever
 * written to the topic: the partition is paused as soon as it is assigned, and the consumer only keeps
 * its membership. Kafka's group coordinator is the lock, so no other store is needed.
 */
public class PresenceLease {

    private static final Logger log = LoggerFactory.getLogger(PresenceLease.class);

    private final ConsumerFactory<String, byte[]> consumers;
    /** The lease itself; a topic created with more partitions by mistake still has one holder. */
    private final TopicPartition leasePartition;
    private final RelayProperties properties;
    private final AtomicBoolean held = new AtomicBoolean();
    private volatile Consumer<String, byte[]> consumer;
    private volatile Thread member;
    private volatile Runnable onAcquired = () -> { };

    public PresenceLease(ConsumerFactory<String, byte[]> consumers, RelayProperties properties) {
        this.consumers = consumers;
        this.properties = properties;
        this.leasePartition = new TopicPartition(properties.presenceLeaseTopic(), 0);
    }

    /** Whether this relay is the one that reads here_now now. */
    public boolean held() {
        return held.get();
    }

    /** Joins the lease's group; {@code onAcquired} runs (on the lease's thread) each time this relay gains it. */
    public void start(Runnable onAcquired) {
        this.onAcquired = onAcquired;
        long timeout = properties.presenceLeaseTimeout().toMillis();
        Properties settings = new Properties();
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"); // its session timeout is ours to set
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(100, timeout / 5)));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // the relay creates it, with one partition
        // sticky: a relay that joins does not take the lease from the one that holds it
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        consumer = consumers.createConsumer(properties.presenceLeaseGroup(), "relay-presence-lease", null, settings);
        member = new Thread(this::keepMembership, "presence-lease");
        member.setDaemon(true);
        member.start();
    }

    private void keepMembership() {
        Consumer<String, byte[]> lease = consumer;
        try {
            lease.subscribe(List.of(properties.presenceLeaseTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    lease.pause(partitions);
                    if (partitions.contains(leasePartition) && !held.getAndSet(true)) {
                        log.info("This relay now reads PubNub presence (it holds {})", partitions);
                        onAcquired.run();
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.contains(leasePartition) && held.getAndSet(false)) {
                        log.info("Another relay reads PubNub presence now");
                    }
                }
            });
            while (!Thread.currentThread().isInterrupted()) {
                lease.poll(Duration.ofSeconds(1)); // keeps the membership; a paused partition fetches nothing
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.warn("The presence lease failed; this relay stops reading PubNub presence", e);
        } finally {
            held.set(false);
            lease.close(); // leaves the group: another relay takes the lease at once
        }
    }

    /** Leaves the group, so that another relay takes the lease at once. */
    public void stop() {
        Thread thread = member;
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(properties.presenceLeaseTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            member = null;
        }
    }
}
