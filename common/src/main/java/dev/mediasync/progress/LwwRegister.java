package dev.mediasync.progress;

import dev.mediasync.clock.Hlc;
import java.util.Objects;

/**
 * A last-writer-wins register: of two writes, the one with the higher {@link Hlc} timestamp wins; on
 * equal timestamps the greater device id (byte order; device ids are ASCII) wins. Should one device
 * reuse a timestamp, the greater op id decides, so that {@link #merge} is commutative, associative and
 * idempotent for any input and every replica keeps the same winner (Shapiro et al., "A comprehensive
 * study of Convergent and Commutative Replicated Data Types", 2011, §3.2.1).
 *
 * @param <T> the immutable value held
 */
public record LwwRegister<T>(T value, Hlc timestamp, String deviceId, String opId) {

    public LwwRegister {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(opId, "opId");
    }

    /** The winner of the two writes; {@code this} when they are the same write. */
    public LwwRegister<T> merge(LwwRegister<T> other) {
        return isOverwrittenBy(other) ? other : this;
    }

    /** Whether {@code other} would replace this value in a merge. */
    public boolean isOverwrittenBy(LwwRegister<?> other) {
        int order = other.timestamp.compareTo(timestamp);
        if (order == 0) {
            order = other.deviceId.compareTo(deviceId);
        }
        if (order == 0) {
            order = other.opId.compareTo(opId);
        }
        return order > 0;
    }
}
