package dev.mediasync.convergence;

import dev.mediasync.progress.LwwRegister;
import dev.mediasync.watchlist.OrSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One replica of a user's state, applying ops as the processor does. */
final class Replica {

    private final boolean deduplicate;
    /** Device and op id of every op applied, as the processor's ledger within its window. */
    private final Set<String> seen = new HashSet<>();
    private OrSet watchlist = OrSet.empty();
    private final Map<String, LwwRegister<Integer>> progress = new TreeMap<>();

    Replica(boolean deduplicate) {
        this.deduplicate = deduplicate;
    }

    static LwwRegister<Integer> write(History.TestOp op) {
        return new LwwRegister<>(op.position(), op.timestamp(), op.deviceId(), op.opId());
    }

    void deliver(History.TestOp op) {
        if (deduplicate) {
            if (!seen.add(op.deviceId() + ' ' + op.opId())) {
                return;
            }
        }
        switch (op.kind()) {
            case ADD -> watchlist = watchlist.add(op.contentId(), op.tag(), op.timestamp());
            case REMOVE_BEFORE -> watchlist = watchlist.removeBefore(op.contentId(), op.timestamp());
            case REMOVE_OBSERVED -> watchlist = watchlist.removeTags(op.contentId(), op.observedTags());
            case PROGRESS -> progress.merge(op.contentId(), write(op), LwwRegister::merge);
        }
    }

    OrSet watchlist() {
        return watchlist;
    }

    Map<String, LwwRegister<Integer>> progress() {
        return progress;
    }
}
