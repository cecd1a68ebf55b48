package dev.mediasync.processor.emit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of the last event emitted for each input partition of this instance, shared by the
 * stream thread (writer) and the query API (reader). A version is the op-log offset of the op that
 * caused the event (every change comes from an op, presence timeouts included), so it only grows,
 * survives restarts, and is the same in a replay of the same log. A snapshot records the version before
 * reading the store: an event with a greater version may be missing from it, one with a smaller or equal
 * version is in it.
 */
public final class PartitionVersions {

    private final Map<Integer, Long> versions = new ConcurrentHashMap<>();

    /** The version of the last event of {@code partition}, or -1 when this instance has emitted none. */
    public long current(int partition) {
        return versions.getOrDefault(partition, -1L);
    }

    public void set(int partition, long version) {
        versions.put(partition, version);
    }

}
