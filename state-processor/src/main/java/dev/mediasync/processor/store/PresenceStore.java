package dev.mediasync.processor.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The devices that are online now, with their last activity and the connection that carries them.
 * Kept apart from the entities so the presence sweep reads only online devices, not every entity.
 */
public final class PresenceStore {

    public static final String NAME = "sync-presence";

    /** When a device was last heard of (epoch ms, gateway clock) and over which connection. */
    public record Activity(long lastActivity, String sessionId) {

        String encode() {
            return lastActivity + " " + sessionId;
        }

        static Activity decode(String value) {
            int space = value.indexOf(' ');
            return new Activity(Long.parseLong(value.substring(0, space)), value.substring(space + 1));
        }
    }

    /** An online device found by a sweep. */
    public record Online(String userId, String deviceId, Activity activity) {
    }

    private final KeyValueStore<String, String> store;

    public PresenceStore(KeyValueStore<String, String> store) {
        this.store = store;
    }

    public Activity get(String userId, String deviceId) {
        String value = store.get(StoreKeys.device(userId, deviceId));
        return value == null ? null : Activity.decode(value);
    }

    public void put(String userId, String deviceId, Activity activity) {
        store.put(StoreKeys.device(userId, deviceId), activity.encode());
    }

    public void remove(String userId, String deviceId) {
        store.delete(StoreKeys.device(userId, deviceId));
    }

    /** Online devices whose last activity is before {@code cutoff}. */
    public List<Online> silentSince(long cutoff) {
        List<Online> silent = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                Activity activity = Activity.decode(entry.value);
                if (activity.lastActivity() < cutoff) {
                    silent.add(new Online(StoreKeys.userOfDeviceKey(entry.key),
                            StoreKeys.deviceOfDeviceKey(entry.key), activity));
                }
            }
        }
        return silent;
    }
}
