package dev.mediasync.processor.progress;

import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.topology.Emitter;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;

/** Merges a progress write into the title's LWW register and emits the winner, changed or not. */
public final class ProgressApplier {

    private final EntityStore entities;
    private final Emitter emit;

    public ProgressApplier(EntityStore entities, Emitter emit) {
        this.entities = entities;
        this.emit = emit;
    }

    /** @param resent the op was applied before: only the current winner is emitted again */
    public void apply(Op op, ProgressUpdate update, boolean resent, long timestamp) {
        ProgressState current = entities.progress(op.userId(), update.contentId());
        ProgressState winner = current;
        if (!resent) {
            LwwRegister<PlaybackPosition> write = new LwwRegister<>(update.position(), op.timestamp(),
                    op.deviceId(), update.opId());
            if (current == null || current.register().isOverwrittenBy(write)) {
                winner = ProgressState.of(update.contentId(), write);
                entities.putProgress(op.userId(), winner);
            }
        }
        if (winner != null) {
            emit.progress(op.userId(), winner, timestamp);
        }
    }
}
