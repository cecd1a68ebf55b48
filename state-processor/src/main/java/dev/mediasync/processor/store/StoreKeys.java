package dev.mediasync.processor.store;

import dev.mediasync.topics.Topics;

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

    public static boolean belongsTo(String entityKey, String userId) {
        return Topics.userOfStateKey(entityKey).equals(userId);
    }
}
