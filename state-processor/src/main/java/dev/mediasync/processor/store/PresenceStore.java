package dev.mediasync.processor.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The devices that are online now, with their last activity and the connection that carries them, and
 * per user the delivery slots that hold them (kept with every change, so routing an event is one read).
 * Kept apart from the entities so the presence sweep reads only online devices, not every entity.
 */
public final class PresenceStore {

    public static final String NAME = "sync-presence";
    public static final String ROUTES_NAME = "sync-routes";
    private static final int[] NO_SLOTS = {};

    /**
     * When a device was last heard of (epoch ms, gateway clock), over which connection, and the delivery
     * slot of the gateway holding that connection ({@link #NO_SLOT} when unknown: a device online through
     * ops written before slots existed, or by a tool).
     */
    public record Activity(long lastActivity, String sessionId, int slot) {

        public static final int NO_SLOT = -1;

        String encode() {
            return lastActivity + " " + sessionId + " " + slot;
        }

        static Activity decode(String value) {
            int first = value.indexOf(' ');
            int second = value.indexOf(' ', first + 1);
            return second < 0
                    ? new Activity(Long.parseLong(value.substring(0, first)), value.substring(first + 1), NO_SLOT)
                    : new Activity(Long.parseLong(value.substring(0, first)), value.substring(first + 1, second),
                            Integer.parseInt(value.substring(second + 1)));
        }

        public Activity at(long lastActivity) {
            return new Activity(lastActivity, sessionId, slot);
        }
    }

    /** An online device found by a sweep. */
    public record Online(String userId, String deviceId, Activity activity) {
    }

    private final KeyValueStore<String, String> store;
    private final KeyValueStore<String, String> routes;

    public PresenceStore(KeyValueStore<String, String> store, KeyValueStore<String, String> routes) {
        this.store = store;
        this.routes = routes;
    }

    public Activity get(String userId, String deviceId) {
        String value = store.get(StoreKeys.device(userId, deviceId));
        return value == null ? null : Activity.decode(value);
    }

    /** @param previous the device's activity before, as read by the caller ({@code null}: offline) */
    public void put(String userId, String deviceId, Activity previous, Activity activity) {
        store.put(StoreKeys.device(userId, deviceId), activity.encode());
        if (previous == null || previous.slot() != activity.slot()) {
            route(userId);
        }
    }

    public void remove(String userId, String deviceId) {
        store.delete(StoreKeys.device(userId, deviceId));
        route(userId);
    }

    /** The delivery slots holding an online device of the user, ascending; empty when none is online. */
    public int[] routes(String userId) {
        String value = routes.get(userId);
        return value == null ? NO_SLOTS : Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** The slot of the connection carrying a device, or {@link Activity#NO_SLOT} when it is offline. */
    public int slotOf(String userId, String deviceId) {
        Activity activity = get(userId, deviceId);
        return activity == null ? Activity.NO_SLOT : activity.slot();
    }

    private void route(String userId) {
        int[] slots = slotsOf(userId);
        String value = Arrays.stream(slots).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String current = routes.get(userId);
        if (slots.length == 0 && current != null) {
            routes.delete(userId);
        } else if (slots.length > 0 && !value.equals(current)) {
            routes.put(userId, value);
        }
    }

    private int[] slotsOf(String userId) {
        String prefix = StoreKeys.userPrefix(userId);
        try (KeyValueIterator<String, String> devices = store.prefixScan(prefix, new StringSerializer())) {
            TreeSet<Integer> slots = new TreeSet<>();
            while (devices.hasNext()) {
                KeyValue<String, String> entry = devices.next();
                int slot = Activity.decode(entry.value).slot();
                if (slot != Activity.NO_SLOT && StoreKeys.userOfDeviceKey(entry.key).equals(userId)) {
                    slots.add(slot);
                }
            }
            return slots.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Forgets every device of the user and where they were connected. */
    public void eraseUser(String userId) {
        StoreKeys.keysOfUser(store, userId, StoreKeys::userOfDeviceKey).forEach(store::delete);
        routes.delete(userId);
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
