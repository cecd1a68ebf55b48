package dev.mediasync.processor.store;

import dev.mediasync.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keys of the stores. Entities use the state topic's key ({@code user|kind|entity}), so a user's
 * snapshot is one prefix scan; device-scoped stores use {@code user|device}. User ids may contain
 * {@code '|'} and device ids may not, so these keys are split from the right.
 */
public final class StoreKeys {

    private StoreKeys() {
    }

    public static String device(String userId, String deviceId) {
        return userId + '|' + deviceId;
    }

    public static String userOfDeviceKey(String key) {
        return key.substring(0, key.lastIndexOf('|'));
    }

    public static String deviceOfDeviceKey(String key) {
        return key.substring(key.lastIndexOf('|') + 1);
    }

    /** The scan prefix of one user's entities; callers drop keys of users whose id extends this one. */
    public static String userPrefix(String userId) {
        return userId + '|';
    }

    /**
     * The keys of one user's entries in a store keyed {@code user_id|…}: a prefix scan, without the keys of
     * users whose id extends this one ({@code userOf} reads a key's user).
     */
    public static List<String> keysOfUser(KeyValueStore<String, ?> store, String userId, Function<String, String> userOf) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> all = store.prefixScan(userPrefix(userId), new StringSerializer())) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (userOf.apply(key).equals(userId)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    public static boolean belongsTo(String entityKey, String userId) {
        return Topics.userOfStateKey(entityKey).equals(userId);
    }
}
