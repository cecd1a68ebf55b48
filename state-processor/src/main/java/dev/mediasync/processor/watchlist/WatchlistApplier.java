package dev.mediasync.processor.watchlist;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.Retention;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties.Limits;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.Topics.Kind;
import dev.mediasync.watchlist.Tag;
import dev.mediasync.watchlist.WatchlistEntry;

/** Applies watchlist ops to the title's stored OR-Set entry and emits the title's state. */
public final class WatchlistApplier {

    private final EntityStore entities;
    private final Emitter emit;
    private final Retention retention;
    private final Limits limits;

    public WatchlistApplier(EntityStore entities, Emitter emit, Retention retention, Limits limits) {
        this.entities = entities;
        this.emit = emit;
        this.retention = retention;
        this.limits = limits;
    }

    /**
     * @param resent the op was applied before: only the current state is emitted again
     * @throws SyncException {@code limit_exceeded} when the op would add a title or a tag beyond the caps
     */
    public void apply(Op op, WatchlistUpdate update, boolean resent, long timestamp) {
        WatchlistEntry entry = entities.watchlist(op.userId(), update.contentId());
        if (!resent) {
            Hlc horizon = retention.oldestAccepted(op.receivedAt());
            WatchlistEntry next = merge(entry, op, update).forgetWatermarkBefore(horizon);
            if (!next.equals(entry)) {
                if (entry.isVoid()) {
                    entities.requireRoom(op.userId(), Kind.WATCHLIST, limits.titles(), horizon);
                }
                if (next.tags().size() > Math.max(entry.tags().size(), limits.tagsPerTitle())) {
                    throw new SyncException(ErrorCode.LIMIT_EXCEEDED, update.contentId() + " is already in the "
                            + "watchlist with " + entry.tags().size() + " tags (one per device that added it); at most "
                            + limits.tagsPerTitle() + " are kept");
                }
                entities.putWatchlist(op.userId(), update.contentId(), entry, next);
            }
            entry = next;
        }
        emit.watchlist(op.userId(), WatchlistState.of(update.contentId(), entry, op.timestamp()), timestamp);
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
