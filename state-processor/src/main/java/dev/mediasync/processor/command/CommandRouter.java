package dev.mediasync.processor.command;

import dev.mediasync.device.CommandType;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.processor.topology.Emitter;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceCommandRequest;
import dev.mediasync.protocol.DeviceHandoff;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import java.time.Duration;

/**
 * Validates remote commands and handoffs against the registry (the target exists, belongs to the user,
 * is online) and sends them to the target; a refusal goes back to the sender as an {@code error}. A
 * handoff is a {@code play} at the title's resume position. The command id is derived from the op, so a
 * re-applied op sends the same command again, which the target recognises.
 */
public final class CommandRouter {

    private final EntityStore entities;
    private final PresenceStore presence;
    private final Emitter emit;
    private final long ttlMs;

    public CommandRouter(EntityStore entities, PresenceStore presence, Emitter emit, Duration ttl) {
        this.entities = entities;
        this.presence = presence;
        this.emit = emit;
        this.ttlMs = ttl.toMillis();
    }

    public void command(Op op, DeviceCommandRequest request, long timestamp) {
        if (targetReachable(op, request.opId(), request.targetDeviceId(), timestamp)) {
            send(op, request.opId(), request.targetDeviceId(), request.command(), request.contentId(),
                    request.positionSeconds(), timestamp);
        }
    }

    public void handoff(Op op, DeviceHandoff handoff, long timestamp) {
        if (targetReachable(op, handoff.opId(), handoff.targetDeviceId(), timestamp)) {
            ProgressState progress = entities.progress(op.userId(), handoff.contentId());
            double resumeAt = progress == null ? 0 : progress.position().resumePositionSeconds();
            send(op, handoff.opId(), handoff.targetDeviceId(), CommandType.PLAY, handoff.contentId(), resumeAt,
                    timestamp);
        }
    }

    private boolean targetReachable(Op op, String opId, String target, long timestamp) {
        if (entities.device(op.userId(), target) == null) {
            refuse(op, opId, ErrorCode.UNKNOWN_DEVICE, "target_device_id " + target
                    + " is not a device of this user", timestamp);
            return false;
        }
        if (presence.get(op.userId(), target) == null) {
            refuse(op, opId, ErrorCode.DEVICE_OFFLINE, "target_device_id " + target + " is offline", timestamp);
            return false;
        }
        return true;
    }

    private void send(Op op, String opId, String target, CommandType command, String contentId, Double position,
                      long timestamp) {
        DeviceCommand deviceCommand = new DeviceCommand(DeviceCommand.commandId(op.deviceId(), opId), op.deviceId(),
                command, contentId, position, op.receivedAt() + ttlMs);
        emit.toDevice(op.userId(), target, deviceCommand, timestamp);
    }

    private void refuse(Op op, String opId, ErrorCode code, String message, long timestamp) {
        emit.toDevice(op.userId(), op.deviceId(), new ErrorMessage(opId, code, message), timestamp);
    }
}
