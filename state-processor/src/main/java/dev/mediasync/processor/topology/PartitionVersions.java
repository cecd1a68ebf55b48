package dev.mediasync.processor.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of the last event emitted for each input partition of this instance, shared by the
 * stream thread (writer) and the query API (reader). A version is the input offset of the op that
 * caused the event, shifted left by {@link #PUNCTUATION_BITS}, plus a count of punctuation emissions
 * since that op; so it only grows and survives restarts with the offsets. A snapshot records the
 * version before reading the store: an event with a greater version may be missing from it, one with a
 * smaller or equal version is in it.
 */
public final class PartitionVersions {

    public static final int PUNCTUATION_BITS = 10;

    private final Map<Integer, Long> versions = new ConcurrentHashMap<>();

    /** The version of the last event of {@code partition}, or -1 when this instance has emitted none. */
    public long current(int partition) {
        return versions.getOrDefault(partition, -1L);
    }

    void set(int partition, long version) {
        versions.put(partition, version);
    }

    static long ofOffset(long offset) {
        return offset << PUNCTUATION_BITS;
    }
}
