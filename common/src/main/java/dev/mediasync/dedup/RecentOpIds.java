package dev.mediasync.dedup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The last op ids one device sent, oldest first, at most {@code capacity} of them. A client resends
 * every op it has no ack for, and the gateway may stamp the resend anew; remembering the recent ids
 * lets the processor recognise the resend and change nothing, while the memory stays per device, not
 * per op. Immutable.
 */
public record RecentOpIds(List<String> ids, int capacity) {

    public RecentOpIds {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        ids = List.copyOf(ids.size() > capacity ? ids.subList(ids.size() - capacity, ids.size()) : ids);
    }

    public static RecentOpIds empty(int capacity) {
        return new RecentOpIds(Collections.emptyList(), capacity);
    }

    public boolean contains(String opId) {
        return ids.contains(opId);
    }

    /** This window with {@code opId} appended, the oldest id falling out when full. */
    public RecentOpIds with(String opId) {
        List<String> next = new ArrayList<>(ids.size() + 1);
        next.addAll(ids);
        next.add(opId);
        return new RecentOpIds(next, capacity);
    }
}
