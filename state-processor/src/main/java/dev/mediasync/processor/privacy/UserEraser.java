package dev.mediasync.processor.privacy;

import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.UserErased;
import java.util.List;

/**
 * Applies an erase: every entity of the user is deleted and tombstoned in {@code sync.state.v1}, followed by
 * {@code user_erased} (to the user's devices and downstream consumers); then their presence and routes are
 * forgotten, every data key of theirs is destroyed (deleted here, tombstoned in {@code sync.keys.v1}, which
 * makes their ops in the log unreadable once compacted), and the user is marked erased, so that their
 * later ops are refused. An erase applied again (resent, or re-read after a crash) finds nothing left and
 * emits nothing.
 */
public final class UserEraser {

    private final EntityStore entities;
    private final PresenceStore presence;
    private final KeyStore keys;
    private final ErasedUsers erased;
    private final ParkedOps parked;
    private final Emitter emit;

    public UserEraser(EntityStore entities, PresenceStore presence, KeyStore keys, ErasedUsers erased,
                      ParkedOps parked, Emitter emit) {
        this.entities = entities;
        this.presence = presence;
        this.keys = keys;
        this.erased = erased;
        this.parked = parked;
        this.emit = emit;
    }

    public void erase(Op op, long timestamp) {
        String userId = op.userId();
        if (erased.erased(userId)) {
            return;
        }
        List<String> stateKeys = entities.eraseUser(userId);
        emit.erased(userId, stateKeys, new UserErased(op.timestamp()), timestamp); // while the routes still say where the devices are
        presence.eraseUser(userId);
        for (String recordKey : keys.keysOf(userId)) {
            keys.delete(recordKey);
            emit.destroyKey(recordKey, timestamp);
        }
        parked.take(userId); // ops that waited for a key of theirs: nothing to apply any more
        erased.erase(userId, op.receivedAt());
    }
}
