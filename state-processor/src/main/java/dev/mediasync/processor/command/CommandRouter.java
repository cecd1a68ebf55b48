package dev.mediasync.processor.command;

import dev.mediasync.device.CommandType;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceCommandRequest;
import dev.mediasync.protocol.DeviceHandoff;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import java.time.Duration;

/**
 * Validates remote commands and handoffs against the registry (the target exists, belongs to the user,
 * is online, has the capability) and sends them to the target; a refusal is thrown and goes back to the
 * sender as an {@code error}. A handoff is a {@code play} at the title's resume position on the target
 * and a {@code pause} on the source, when the source is another online device. The command id is derived
 * from the op, so a re-applied op sends the same command again, which the target recognises.
 */
public final class CommandRouter {

    /** Suffix of the command id of a handoff's {@code pause} to its source, apart from the target's {@code play}. */
    static final String SOURCE_PAUSE_SUFFIX = ":pause";

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

    /** @throws SyncException {@code unknown_device}, {@code device_offline} or {@code unsupported_command} */
    public void command(Op op, DeviceCommandRequest request, long timestamp) {
        requireReachable(op, request.targetDeviceId(), request.command());
        send(op, request.opId(), request.targetDeviceId(), request.command(), request.contentId(),
                request.positionSeconds(), timestamp);
    }

    /** @throws SyncException {@code unknown_device}, {@code device_offline} or {@code unsupported_command} */
    public void handoff(Op op, DeviceHandoff handoff, long timestamp) {
        requireReachable(op, handoff.targetDeviceId(), CommandType.PLAY);
        ProgressState progress = entities.progress(op.userId(), handoff.contentId());
        double resumeAt = progress == null ? 0 : progress.position().resumePositionSeconds();
        send(op, handoff.opId(), handoff.targetDeviceId(), CommandType.PLAY, handoff.contentId(), resumeAt, timestamp);
        if (!op.deviceId().equals(handoff.targetDeviceId()) && presence.get(op.userId(), op.deviceId()) != null) {
            send(op, handoff.opId() + SOURCE_PAUSE_SUFFIX, op.deviceId(), CommandType.PAUSE, handoff.contentId(),
                    progress == null ? null : progress.position().positionSeconds(), timestamp);
        }
    }

    private void requireReachable(Op op, String target, CommandType command) {
        DeviceState device = entities.device(op.userId(), target);
        if (device == null) {
            throw new SyncException(ErrorCode.UNKNOWN_DEVICE, "target_device_id " + target
                    + " is not a device of this user");
        }
        if (presence.get(op.userId(), target) == null) {
            throw new SyncException(ErrorCode.DEVICE_OFFLINE, "target_device_id " + target + " is offline");
        }
        command.requireSupportedBy(target, device.capabilities());
    }

    private void send(Op op, String opId, String target, CommandType command, String contentId, Double position,
                      long timestamp) {
        DeviceCommand deviceCommand = new DeviceCommand(DeviceCommand.commandId(op.deviceId(), opId), op.deviceId(),
                command, contentId, position, op.receivedAt() + ttlMs);
        emit.toDevice(op.userId(), target, deviceCommand, timestamp);
    }
}
