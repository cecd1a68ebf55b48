package dev.mediasync.processor.store;

import dev.mediasync.dedup.RecentOpIds;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The recent op ids of each device. An op whose id is here was applied before: it is a client's
 * resend, or the processor re-reading the log after a crash (the store's changelog is ahead of the
 * committed offsets). Either way it must not be applied again, but its entity's current state is
 * emitted again so that nothing is lost. Works as the applied-offset mark, per device and exact.
 */
public final class OpLedger {

    public static final String NAME = "sync-op-ledger";

    /** Op ids never contain spaces (they are printable ASCII without spaces). */
    private static final String SEPARATOR = " ";

    private final KeyValueStore<String, String> store;
    private final int capacity;

    public OpLedger(KeyValueStore<String, String> store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** Records the op id; returns {@code false} when it was already recorded. */
    public boolean firstSight(String userId, String deviceId, String opId) {
        String key = StoreKeys.device(userId, deviceId);
        RecentOpIds recent = read(store.get(key));
        if (recent.contains(opId)) {
            return false;
        }
        store.put(key, String.join(SEPARATOR, recent.with(opId).ids()));
        return true;
    }

    private RecentOpIds read(String value) {
        List<String> ids = value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(SEPARATOR));
        return new RecentOpIds(ids, capacity);
    }
}
