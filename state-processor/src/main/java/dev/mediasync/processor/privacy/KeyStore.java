package dev.mediasync.processor.privacy;

import dev.mediasync.privacy.DataKey;
import dev.mediasync.privacy.KeyWrapper;
import dev.mediasync.privacy.UnreadableException;
import dev.mediasync.processor.store.StoreKeys;
import dev.mediasync.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The users' data keys this task holds, wrapped as {@code sync.keys.v1} has them ({@code user_id|key_id} →
 * wrapped key), and the latest unwrapped ones in a small per-task cache (one unwrap per key, not per op).
 */
public final class KeyStore {

    public static final String NAME = "sync-keys";
    private static final int UNWRAPPED = 10_000;

    private final KeyValueStore<String, byte[]> store;
    /** {@code null}: no key-encryption key is configured, so no key can be unwrapped */
    private final KeyWrapper wrapper;
    private final Map<String, DataKey> unwrapped = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DataKey> eldest) {
            return size() > UNWRAPPED;
        }
    };

    public KeyStore(KeyValueStore<String, byte[]> store, KeyWrapper wrapper) {
        this.store = store;
        this.wrapper = wrapper;
    }

    public void put(String recordKey, byte[] wrapped) {
        store.put(recordKey, wrapped);
    }

    public void delete(String recordKey) {
        store.delete(recordKey);
        unwrapped.remove(recordKey);
    }

    /** The user's data key of that id, or {@code null} when this task has none. */
    public DataKey key(String userId, String keyId) {
        String recordKey = Topics.keyRecordKey(userId, keyId);
        DataKey key = unwrapped.get(recordKey);
        if (key != null) {
            return key;
        }
        byte[] wrapped = store.get(recordKey);
        if (wrapped == null) {
            return null;
        }
        if (wrapper == null) {
            throw new UnreadableException(UnreadableException.Reason.UNKNOWN_KEY,
                    "no key-encryption key is configured (sync.processor.kek) to unwrap data key " + keyId);
        }
        key = wrapper.unwrap(userId, keyId, wrapped);
        unwrapped.put(recordKey, key);
        return key;
    }

    /** One data key of the user (to seal an op the processor writes), or {@code null} when none can be used. */
    public DataKey anyKey(String userId) {
        if (wrapper == null) {
            return null;
        }
        List<String> all = keysOf(userId);
        return all.isEmpty() ? null : key(userId, Topics.keyIdOfKeyRecord(all.get(all.size() - 1)));
    }

    /** The record keys of every data key of the user. */
    public List<String> keysOf(String userId) {
        return StoreKeys.keysOfUser(store, userId, Topics::userOfKeyRecord);
    }
}
