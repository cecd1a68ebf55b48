package dev.mediasync.processor.watchlist;

import dev.mediasync.clock.Retention;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.topology.Emitter;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.watchlist.Tag;
import dev.mediasync.watchlist.WatchlistEntry;

/** Applies watchlist ops to the title's stored OR-Set entry and emits the title's state. */
public final class WatchlistApplier {

    private final EntityStore entities;
    private final Emitter emit;
    private final Retention retention;

    public WatchlistApplier(EntityStore entities, Emitter emit, Retention retention) {
        this.entities = entities;
        this.emit = emit;
        this.retention = retention;
    }

    /** @param resent the op was applied before: only the current state is emitted again */
    public void apply(Op op, WatchlistUpdate update, boolean resent, long timestamp) {
        WatchlistEntry entry = entities.watchlist(op.userId(), update.contentId());
        if (!resent) {
            WatchlistEntry next = merge(entry, op, update)
                    .forgetWatermarkBefore(retention.oldestAccepted(op.receivedAt()));
            if (!next.equals(entry)) {
                entities.putWatchlist(op.userId(), update.contentId(), next);
            }
            entry = next;
        }
        emit.watchlist(op.userId(), WatchlistState.of(update.contentId(), entry), timestamp);
    }

    private static WatchlistEntry merge(WatchlistEntry entry, Op op, WatchlistUpdate update) {
        if (update.operation() == WatchlistOperation.ADD) {
            return entry.add(Tag.of(op.deviceId(), update.opId()), op.timestamp());
        }
        return update.observedTags() != null
                ? entry.removeTags(update.observedTags())
                : entry.removeBefore(op.timestamp());
    }
}
