package dev.mediasync.protocol;

import java.util.Objects;

/**
 * A server message addressed to a user's devices, as stored in {@code sync.state.v1} and
 * {@code sync.commands.v1}: the event plus {@code user_id}, and {@code target_device_id} when only one
 * device is to receive it (commands, and errors returned to the sender of a refused command).
 */
public record UserEvent(String userId, String targetDeviceId, ServerMessage event) {

    public UserEvent {
        Ids.userId(userId, "user_id");
        if (targetDeviceId != null) {
            Ids.deviceId(targetDeviceId, "target_device_id");
        }
        Objects.requireNonNull(event, "event");
    }

    public static UserEvent toAll(String userId, ServerMessage event) {
        return new UserEvent(userId, null, event);
    }
}
