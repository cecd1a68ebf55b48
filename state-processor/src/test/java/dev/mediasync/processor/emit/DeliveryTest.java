package dev.mediasync.processor.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private final Delivery.SlotPartitioner partitioner = new Delivery.SlotPartitioner();

    @Test
    void eachSlotIsThePartitionOfOneCopyAndOnlyTheEventIsStored() {
        Delivery delivery = new Delivery(new int[] {0, 3, 15}, new byte[] {1, 2});

        assertThat(partitioner.partitions("sync.deliveries.v1", "alice", delivery, 16)).isEqualTo(Optional.of(Set.of(0, 3, 15)));
        assertThat(new Delivery.EventSerializer().serialize("sync.deliveries.v1", delivery)).containsExactly(1, 2);
    }

    @Test
    void aSlotBeyondTheTopicsPartitionsIsSkipped() {
        assertThat(partitioner.partitions("t", "alice", new Delivery(new int[] {1, 16}, new byte[0]), 16))
                .isEqualTo(Optional.of(Set.of(1)));
    }
}
