package dev.mediasync.processor.emit;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * An event for the gateways holding the user's devices: one record per slot in {@code sync.deliveries.v1},
 * whose partition is the slot. The slots travel with the value only as far as the sink's partitioner;
 * the record stored is the event as devices get it.
 *
 * @param slots the delivery slots to write to, ascending
 */
public record Delivery(int[] slots, byte[] event) {

    /** Writes the event bytes; the slots are the partitions. */
    public static final class EventSerializer implements Serializer<Delivery> {
        @Override
        public byte[] serialize(String topic, Delivery delivery) {
            return delivery.event();
        }
    }

    /**
     * One copy per slot (Kafka Streams multicasts a record to every partition returned). A slot beyond the
     * topic's partitions has no reader (the gateway refuses to start on it), so it is skipped.
     */
    public static final class SlotPartitioner implements StreamPartitioner<String, Delivery> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, Delivery delivery, int numPartitions) {
            return Optional.of(Arrays.stream(delivery.slots()).filter(slot -> slot < numPartitions).boxed()
                    .collect(Collectors.toSet()));
        }
    }
}
