package dev.mediasync.processor.store;

import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.topics.Topics;
import dev.mediasync.topics.Topics.Kind;
import dev.mediasync.watchlist.WatchlistEntry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Typed access to the entity store: one entry per watchlist title, progress title and device of each
 * user, keyed like the state topic. Progress and devices are stored as their state events; watchlist
 * entries keep their tags' timestamps and the remove watermark, which the event does not show.
 */
public final class EntityStore {

    public static final String NAME = "sync-entities";

    private final KeyValueStore<String, byte[]> store;
    private final MessageCodec codec;

    public EntityStore(KeyValueStore<String, byte[]> store, MessageCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    public WatchlistEntry watchlist(String userId, String contentId) {
        byte[] bytes = store.get(Topics.stateKey(userId, Kind.WATCHLIST, contentId));
        return bytes == null ? WatchlistEntry.empty() : StoredWatchlist.decode(bytes);
    }

    /** Stores the entry, or deletes it when it holds nothing worth keeping. */
    public void putWatchlist(String userId, String contentId, WatchlistEntry entry) {
        String key = Topics.stateKey(userId, Kind.WATCHLIST, contentId);
        if (entry.isVoid()) {
            store.delete(key);
        } else {
            store.put(key, StoredWatchlist.encode(entry));
        }
    }

    public ProgressState progress(String userId, String contentId) {
        byte[] bytes = store.get(Topics.stateKey(userId, Kind.PROGRESS, contentId));
        return bytes == null ? null : (ProgressState) codec.decodeServer(bytes);
    }

    public void putProgress(String userId, ProgressState state) {
        store.put(Topics.stateKey(userId, Kind.PROGRESS, state.contentId()), codec.encodeBytes(state));
    }

    public DeviceState device(String userId, String deviceId) {
        byte[] bytes = store.get(Topics.stateKey(userId, Kind.DEVICE, deviceId));
        return bytes == null ? null : (DeviceState) codec.decodeServer(bytes);
    }

    public void putDevice(String userId, DeviceState state) {
        store.put(Topics.stateKey(userId, Kind.DEVICE, state.deviceId()), codec.encodeBytes(state));
    }

    /** Decodes a stored watchlist value (for snapshot reads). */
    public static WatchlistEntry decodeWatchlist(byte[] bytes) {
        return StoredWatchlist.decode(bytes);
    }
}
