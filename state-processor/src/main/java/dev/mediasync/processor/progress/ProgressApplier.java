package dev.mediasync.processor.progress;

import dev.mediasync.clock.Retention;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties.Limits;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.store.EntityStore.Entry;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.Removal;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.topics.Topics.Kind;

/**
 * Merges progress writes and removes into the title's last-writer-wins register and emits the winner,
 * changed or not. A remove is a write of "no progress": stored as a {@link Removal}, emitted as a
 * tombstone, beaten only by a later write.
 */
public final class ProgressApplier {

    private final EntityStore entities;
    private final Emitter emit;
    private final Retention retention;
    private final Limits limits;

    public ProgressApplier(EntityStore entities, Emitter emit, Retention retention, Limits limits) {
        this.entities = entities;
        this.emit = emit;
        this.retention = retention;
        this.limits = limits;
    }

    /**
     * @param resent the op was applied before: only the current winner is emitted again
     * @throws SyncException {@code limit_exceeded} when the write would add a title beyond the cap
     */
    public void apply(Op op, ProgressUpdate update, boolean resent, long timestamp) {
        Entry<ProgressState> current = entities.progressEntry(op.userId(), update.contentId());
        if (!resent) {
            LwwRegister<PlaybackPosition> write = new LwwRegister<>(update.position(), op.timestamp(),
                    op.deviceId(), update.opId());
            if (isOverwrittenBy(current, write)) {
                ProgressState winner = ProgressState.of(update.contentId(), write);
                store(op, current, () -> entities.putProgress(op.userId(), winner, current.exists()));
                emit.progress(op.userId(), winner, timestamp);
                return;
            }
        }
        emitCurrent(op, update.contentId(), current, timestamp);
    }

    /** @param resent the op was applied before: only the current winner is emitted again */
    public void remove(Op op, ProgressRemove remove, boolean resent, long timestamp) {
        Entry<ProgressState> current = entities.progressEntry(op.userId(), remove.contentId());
        if (!resent) {
            Removal removal = new Removal(op.timestamp(), op.deviceId(), remove.opId());
            if (isOverwrittenBy(current, removal.register())) {
                store(op, current, () -> entities.putRemoval(op.userId(), Kind.PROGRESS, remove.contentId(), removal,
                        current.exists()));
                emit.removed(op.userId(), Kind.PROGRESS, remove.contentId(), removal.timestamp(), timestamp);
                return;
            }
        }
        emitCurrent(op, remove.contentId(), current, timestamp);
    }

    private static boolean isOverwrittenBy(Entry<ProgressState> current, LwwRegister<?> write) {
        if (current.live() != null) {
            return current.live().register().isOverwrittenBy(write);
        }
        return current.removal() == null || current.removal().register().isOverwrittenBy(write);
    }

    private void store(Op op, Entry<ProgressState> current, Runnable put) {
        if (!current.exists()) {
            entities.requireRoom(op.userId(), Kind.PROGRESS, limits.progress(),
                    retention.oldestAccepted(op.receivedAt()));
        }
        put.run();
    }

    private void emitCurrent(Op op, String contentId, Entry<ProgressState> current, long timestamp) {
        if (current.live() != null) {
            emit.progress(op.userId(), current.live(), timestamp);
        } else if (current.removal() != null) {
            emit.removed(op.userId(), Kind.PROGRESS, contentId, current.removal().timestamp(), timestamp);
        }
    }
}
