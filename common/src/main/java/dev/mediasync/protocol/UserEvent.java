package dev.mediasync.protocol;

import java.util.Objects;

/**
 * A server message addressed to a user's devices, as stored in {@code sync.state.v1} and
 * {@code sync.commands.v1}: the event plus {@code user_id}, {@code target_device_id} when only one
 * device is to receive it (commands, and errors returned to the sender of a refused command), and the
 * {@code version} that orders the events of one user: a snapshot with version V already shows every
 * event up to V. {@link #NO_VERSION} when unknown.
 */
public record UserEvent(String userId, String targetDeviceId, ServerMessage event, long version) {

    public static final long NO_VERSION = -1;

    public UserEvent {
        Ids.userId(userId, "user_id");
        if (targetDeviceId != null) {
            Ids.deviceId(targetDeviceId, "target_device_id");
        }
        Objects.requireNonNull(event, "event");
    }

    public UserEvent(String userId, String targetDeviceId, ServerMessage event) {
        this(userId, targetDeviceId, event, NO_VERSION);
    }

    public static UserEvent toAll(String userId, ServerMessage event) {
        return new UserEvent(userId, null, event, NO_VERSION);
    }
}
