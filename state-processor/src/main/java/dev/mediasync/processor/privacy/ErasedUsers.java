package dev.mediasync.processor.privacy;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Users who were erased, and when (epoch ms of the erase op): their ops are refused from then on. The
 * user id, the record key of every topic, is the one identifier kept (see docs/privacy.md).
 */
public final class ErasedUsers {

    public static final String NAME = "sync-erased";

    private final KeyValueStore<String, Long> store;

    public ErasedUsers(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    public boolean erased(String userId) {
        return store.get(userId) != null;
    }

    void erase(String userId, long at) {
        store.putIfAbsent(userId, at);
    }
}
