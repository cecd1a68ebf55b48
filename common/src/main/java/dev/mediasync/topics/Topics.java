package dev.mediasync.topics;

/**
 * Default Kafka topic names and the key layout of the state topic. Every topic is keyed (state: prefixed)
 * by user id, so one user's records share a partition and stay in order.
 */
public final class Topics {

    /** The replayable operation log: one accepted op per record, key {@code user_id}. */
    public static final String OPS = "sync.ops.v1";
    /** Compacted latest state per entity, key {@code user_id|kind|entity_id}. */
    public static final String STATE = "sync.state.v1";
    /** Validated device commands and command refusals, key {@code user_id}, short retention. */
    public static final String COMMANDS = "sync.commands.v1";
    /**
     * Trending titles (the reference consumer in {@code trending/}): compacted, key {@code most_added} or
     * {@code most_watched}, the latest list per key.
     */
    public static final String TRENDING = "sync.trending.v1";
    /**
     * Events for gateways, partitioned by delivery slot (a gateway reads only its own partition): each
     * state event once per slot that holds a device of its user, each command to its target's slot.
     * Value: the event as devices get it; routing in the headers {@code protocol.EventEnvelope} reads. Short retention.
     */
    public static final String DELIVERIES = "sync.deliveries.v1";
    /**
     * Users' data keys, each wrapped by the key-encryption key (compacted, never deleted by age): key
     * {@code user_id|key_id}, on the partition of the user's ops. A tombstone destroys the key, and with it
     * every op sealed with it (see {@code privacy.SealedOps}).
     */
    public static final String KEYS = "sync.keys.v1";
    /** Ops the processor could not apply, with the reason in headers. */
    public static final String OPS_DEAD_LETTER = "sync.ops.dlq.v1";

    /**
     * Header of a {@code sync.state.v1} tombstone: the event (e.g. {@code progress_removed}) that devices
     * receive for it, since the record's value is null.
     */
    public static final String HEADER_EVENT = "sync.event";

    private static final char SEPARATOR = '|';

    private Topics() {
    }

    public static String keyRecordKey(String userId, String keyId) {
        return userId + SEPARATOR + keyId;
    }

    /** The user of a {@link #KEYS} record key (key ids never contain {@code '|'}, user ids may). */
    public static String userOfKeyRecord(String key) {
        return key.substring(0, key.lastIndexOf(SEPARATOR));
    }

    public static String keyIdOfKeyRecord(String key) {
        return key.substring(key.lastIndexOf(SEPARATOR) + 1);
    }

    /** The entity kinds of the state topic. */
    public enum Kind {
        WATCHLIST("watchlist"), PROGRESS("progress"), DEVICE("device"),
        /** The user's account: only {@code user_id|account|erased}, the {@code user_erased} event. */
        ACCOUNT("account");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static String stateKey(String userId, Kind kind, String entityId) {
        return userId + SEPARATOR + kind.wire() + SEPARATOR + entityId;
    }

    /** The entity kind of a state key. */
    public static Kind kindOfStateKey(String key) {
        int entity = key.lastIndexOf(SEPARATOR);
        String kind = key.substring(key.lastIndexOf(SEPARATOR, entity - 1) + 1, entity);
        for (Kind candidate : Kind.values()) {
            if (candidate.wire.equals(kind)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("not a state key: " + key);
    }

    /** The entity id of a state key (a content id or a device id). */
    public static String entityOfStateKey(String key) {
        return key.substring(key.lastIndexOf(SEPARATOR) + 1);
    }

    /**
     * The user id of a state key. Kinds and entity ids never contain {@code '|'}, user ids may, so the
     * key is split from the right.
     */
    public static String userOfStateKey(String key) {
        int entity = key.lastIndexOf(SEPARATOR);
        int kind = entity <= 0 ? -1 : key.lastIndexOf(SEPARATOR, entity - 1);
        if (kind < 0) {
            throw new IllegalArgumentException("not a state key: " + key);
        }
        return key.substring(0, kind);
    }
}
