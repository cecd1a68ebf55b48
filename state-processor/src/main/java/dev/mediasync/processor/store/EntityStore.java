package dev.mediasync.processor.store;

import dev.mediasync.clock.Hlc;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.topics.Topics;
import dev.mediasync.topics.Topics.Kind;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Typed access to the entity store: one entry per watchlist title, progress title and device of each
 * user, keyed like the state topic. Progress and devices are stored as their state events, or as a
 * {@link Removal} once removed; watchlist entries keep their tags' timestamps and the remove watermark,
 * which the event does not show. Every entry counts towards its user's cap of that kind.
 */
public final class EntityStore {

    public static final String NAME = "sync-entities";
    public static final String COUNTS_NAME = EntityCounts.NAME;

    /** One progress title or device as stored: live, removed (kept for its remove), or absent. */
    public record Entry<T>(T live, Removal removal) {

        public boolean exists() {
            return live != null || removal != null;
        }
    }

    private final KeyValueStore<String, byte[]> store;
    private final EntityCounts counts;
    private final MessageCodec codec;

    public EntityStore(KeyValueStore<String, byte[]> store, KeyValueStore<String, Integer> counts, MessageCodec codec) {
        this.store = store;
        this.counts = new EntityCounts(counts, store);
        this.codec = codec;
    }

    public WatchlistEntry watchlist(String userId, String contentId) {
        byte[] bytes = store.get(Topics.stateKey(userId, Kind.WATCHLIST, contentId));
        return bytes == null ? WatchlistEntry.empty() : StoredWatchlist.decode(bytes);
    }

    /** Stores {@code after} in place of {@code before}, or deletes the entry when it holds nothing worth keeping. */
    public void putWatchlist(String userId, String contentId, WatchlistEntry before, WatchlistEntry after) {
        String key = Topics.stateKey(userId, Kind.WATCHLIST, contentId);
        if (after.isVoid()) {
            if (!before.isVoid()) {
                store.delete(key);
                counts.add(userId, Kind.WATCHLIST, -1);
            }
            return;
        }
        if (before.isVoid()) {
            counts.add(userId, Kind.WATCHLIST, 1);
        }
        store.put(key, StoredWatchlist.encode(after));
    }

    /** The title's progress, or {@code null} when there is none or it was removed. */
    public ProgressState progress(String userId, String contentId) {
        return progressEntry(userId, contentId).live();
    }

    public Entry<ProgressState> progressEntry(String userId, String contentId) {
        return entry(Topics.stateKey(userId, Kind.PROGRESS, contentId), ProgressState.class);
    }

    public void putProgress(String userId, ProgressState state, boolean existed) {
        put(userId, Kind.PROGRESS, state.contentId(), codec.encodeBytes(state), existed);
    }

    public DeviceState device(String userId, String deviceId) {
        return deviceEntry(userId, deviceId).live();
    }

    public Entry<DeviceState> deviceEntry(String userId, String deviceId) {
        return entry(Topics.stateKey(userId, Kind.DEVICE, deviceId), DeviceState.class);
    }

    public void putDevice(String userId, DeviceState state, boolean existed) {
        put(userId, Kind.DEVICE, state.deviceId(), codec.encodeBytes(state), existed);
    }

    /** Replaces a progress title or device with its removal. */
    public void putRemoval(String userId, Kind kind, String entityId, Removal removal, boolean existed) {
        put(userId, kind, entityId, removal.encode(), existed);
    }

    /**
     * @throws SyncException {@code limit_exceeded} when the user already stores {@code limit} entities of
     *     {@code kind}, after dropping those whose remove is older than {@code horizon}
     */
    public void requireRoom(String userId, Kind kind, int limit, Hlc horizon) {
        if (counts.count(userId, kind) < limit || dropExpired(userId, kind, horizon) > 0) {
            return;
        }
        throw new SyncException(ErrorCode.LIMIT_EXCEEDED, "this user already has " + limit + " " + kind.wire()
                + " entries (removed ones count for the tombstone retention); at most " + limit + " are kept");
    }

    /** Drops the user's entries of {@code kind} that are only kept for a remove older than {@code horizon}. */
    private int dropExpired(String userId, Kind kind, Hlc horizon) {
        List<String> expired = new ArrayList<>();
        List<KeyValue<String, WatchlistEntry>> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.prefixScan(Topics.stateKey(userId, kind, ""),
                new StringSerializer())) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (!StoreKeys.belongsTo(entry.key, userId) || Topics.kindOfStateKey(entry.key) != kind) {
                    continue;
                }
                if (kind == Kind.WATCHLIST) {
                    WatchlistEntry title = StoredWatchlist.decode(entry.value);
                    WatchlistEntry kept = title.forgetWatermarkBefore(horizon);
                    if (kept.isVoid()) {
                        expired.add(entry.key);
                    } else if (kept != title) {
                        forgotten.add(KeyValue.pair(entry.key, kept));
                    }
                } else if (Removal.isRemoval(entry.value) && Removal.decode(entry.value).timestamp().isBefore(horizon)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        forgotten.forEach(kv -> store.put(kv.key, StoredWatchlist.encode(kv.value)));
        counts.add(userId, kind, -expired.size());
        return expired.size();
    }

    private void put(String userId, Kind kind, String entityId, byte[] value, boolean existed) {
        if (!existed) {
            counts.add(userId, kind, 1);
        }
        store.put(Topics.stateKey(userId, kind, entityId), value);
    }

    private <T> Entry<T> entry(String key, Class<T> type) {
        byte[] bytes = store.get(key);
        if (bytes == null) {
            return new Entry<>(null, null);
        }
        if (Removal.isRemoval(bytes)) {
            return new Entry<>(null, Removal.decode(bytes));
        }
        try {
            return new Entry<>(type.cast(codec.decodeServer(bytes)), null);
        } catch (SyncException e) {
            // not the op's fault: the stored value is unreadable
            throw new IllegalStateException("the stored entity " + key + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Decodes a stored watchlist value (for snapshot reads). */
    public static WatchlistEntry decodeWatchlist(byte[] bytes) {
        return StoredWatchlist.decode(bytes);
    }

    /** Whether a stored progress or device value is a removal (for snapshot reads, which skip them). */
    public static boolean isRemoval(byte[] bytes) {
        return Removal.isRemoval(bytes);
    }

    /** Deletes every entity of the user (and their counts); returns the state keys that held one. */
    public List<String> eraseUser(String userId) {
        List<String> keys = StoreKeys.keysOfUser(store, userId, Topics::userOfStateKey);
        keys.forEach(store::delete);
        counts.erase(userId);
        return keys;
    }
}
