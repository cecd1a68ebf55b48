package dev.mediasync.processor.privacy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import dev.mediasync.processor.store.StoreKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sealed ops whose data key this task has not read yet. A gateway writes a new key's record before any op
 * sealed with it, but on another topic: the task may read the op first. Such an op waits here (as it came,
 * sealed) until its user's key arrives, at most {@code park-timeout}; a user has at most {@code max} waiting.
 * Keyed {@code user_id|offset} (offsets zero-padded), so a user's ops come back in log order.
 */
public final class ParkedOps {

    public static final String NAME = "sync-parked";

    /** One op waiting for its key. */
    public record Parked(String userId, int partition, long offset, long timestamp, long parkedAt, byte[] value) {
    }

    private final KeyValueStore<String, byte[]> store;
    /** Offsets waiting, per partition: the task's event version must stay below the oldest. */
    private final Map<Integer, TreeSet<Long>> waiting = new HashMap<>();

    public ParkedOps(KeyValueStore<String, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<String, byte[]> all = store.all()) { // after a restart: what still waits
            all.forEachRemaining(entry -> index(decode(entry)));
        }
    }

    public void park(String userId, int partition, long offset, long timestamp, long now, byte[] value) {
        ByteBuffer stored = ByteBuffer.allocate(4 + 8 + 8 + value.length)
                .putInt(partition).putLong(timestamp).putLong(now).put(value);
        store.put(key(userId, offset), stored.array());
        waiting.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    }

    /** How many ops of the user wait. */
    public int count(String userId) {
        return StoreKeys.keysOfUser(store, userId, ParkedOps::userOf).size();
    }

    /** Removes and returns the user's waiting ops, in log order. */
    public List<Parked> take(String userId) {
        List<Parked> theirs = StoreKeys.keysOfUser(store, userId, ParkedOps::userOf).stream()
                .map(key -> decode(KeyValue.pair(key, store.get(key)))).toList();
        theirs.forEach(this::remove);
        return theirs;
    }

    /** Removes and returns the ops that waited since before {@code parkedBefore}. */
    public List<Parked> expired(long parkedBefore) {
        if (waiting.isEmpty()) {
            return List.of();
        }
        List<Parked> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> {
                Parked parked = decode(entry);
                if (parked.parkedAt() < parkedBefore) {
                    old.add(parked);
                }
            });
        }
        old.forEach(this::remove);
        return old;
    }

    /** The oldest offset waiting in {@code partition}, or {@code Long.MAX_VALUE} when none. */
    public long oldest(int partition) {
        TreeSet<Long> offsets = waiting.get(partition);
        return offsets == null || offsets.isEmpty() ? Long.MAX_VALUE : offsets.first();
    }

    private void remove(Parked parked) {
        store.delete(key(parked.userId(), parked.offset()));
        TreeSet<Long> offsets = waiting.get(parked.partition());
        if (offsets != null) {
            offsets.remove(parked.offset());
            if (offsets.isEmpty()) {
                waiting.remove(parked.partition());
            }
        }
    }

    private void index(Parked parked) {
        waiting.computeIfAbsent(parked.partition(), p -> new TreeSet<>()).add(parked.offset());
    }

    private static String key(String userId, long offset) {
        return userId + '|' + String.format("%019d", offset);
    }

    private static String userOf(String key) {
        return key.substring(0, key.lastIndexOf('|'));
    }

    private static Parked decode(KeyValue<String, byte[]> entry) {
        ByteBuffer stored = ByteBuffer.wrap(entry.value);
        int partition = stored.getInt();
        long timestamp = stored.getLong();
        long parkedAt = stored.getLong();
        byte[] value = new byte[stored.remaining()];
        stored.get(value);
        return new Parked(userOf(entry.key), partition, Long.parseLong(entry.key.substring(entry.key.lastIndexOf('|') + 1)),
                timestamp, parkedAt, value);
    }
}
