package dev.mediasync.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One user's data key on this gateway, and whether its record in {@code sync.keys.v1} is durable yet.
 * Writes that come before it is run in their order once it is (or fail with it).
 */
public final class UserKey {

    private final String userId;
    private final DataKey dataKey;
    private final String recordKey;
    private final byte[] wrapped;
    /** {@code null} once the record's write ended; until then the writes waiting for it, in order. */
    private List<Consumer<Throwable>> waiting = new ArrayList<>();
    private Throwable failure;
    /** The record is durable: ops are sealed and written without waiting (the hot path, no lock). */
    private volatile boolean durable;

    UserKey(String userId, DataKey dataKey, String recordKey, byte[] wrapped) {
        this.userId = userId;
        this.dataKey = dataKey;
        this.recordKey = recordKey;
        this.wrapped = wrapped;
    }

    public String recordKey() {
        return recordKey;
    }

    public byte[] wrapped() {
        return wrapped.clone();
    }

    public boolean durable() {
        return durable;
    }

    /** Seals one encoded op of this key's user. */
    public byte[] seal(byte[] opJson) {
        return SealedOps.seal(userId, dataKey, opJson);
    }

    /**
     * Runs {@code write} with {@code null} once the key's record is durable (at once when it is already),
     * or with the failure of its write. Writes given before it is durable run in the order given.
     */
    public void whenDurable(Consumer<Throwable> write) {
        Throwable ended;
        synchronized (this) {
            if (waiting != null) {
                waiting.add(write);
                return;
            }
            ended = failure;
        }
        write.accept(ended);
    }

    void recorded(Throwable failure) {
        List<Consumer<Throwable>> ready;
        synchronized (this) {
            this.failure = failure;
            ready = waiting;
            waiting = null;
            durable = failure == null;
        }
        ready.forEach(write -> write.accept(failure));
    }
}
