package dev.mediasync.processor.store;

import dev.mediasync.topics.Topics;
import dev.mediasync.topics.Topics.Kind;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many entities of each kind each user has stored, so that a cap is checked with one read instead
 * of a scan of the user. Key {@code user|kind}. A user stored before counting existed is counted by one
 * scan when first touched.
 */
final class EntityCounts {

    static final String NAME = "sync-entity-counts";

    private final KeyValueStore<String, Integer> counts;
    private final KeyValueStore<String, byte[]> entities;

    EntityCounts(KeyValueStore<String, Integer> counts, KeyValueStore<String, byte[]> entities) {
        this.counts = counts;
        this.entities = entities;
    }

    int count(String userId, Kind kind) {
        String key = key(userId, kind);
        Integer count = counts.get(key);
        if (count == null) {
            count = scan(userId, kind);
            counts.put(key, count);
        }
        return count;
    }

    void add(String userId, Kind kind, int delta) {
        counts.put(key(userId, kind), count(userId, kind) + delta);
    }

    private int scan(String userId, Kind kind) {
        int count = 0;
        try (KeyValueIterator<String, byte[]> all = entities.prefixScan(Topics.stateKey(userId, kind, ""),
                new StringSerializer())) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (StoreKeys.belongsTo(key, userId) && Topics.kindOfStateKey(key) == kind) {
                    count++;
                }
            }
        }
        return count;
    }

    void erase(String userId) {
        for (Kind kind : Kind.values()) {
            counts.delete(key(userId, kind));
        }
    }

    private static String key(String userId, Kind kind) {
        return userId + '|' + kind.wire();
    }
}
