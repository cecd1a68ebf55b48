package dev.mediasync.processor.device;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.Retention;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties.Limits;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.store.EntityStore.Entry;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.PresenceStore.Activity;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.processor.store.Removal;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.DeviceRemove;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.Op;
import dev.mediasync.topics.Topics.Kind;

/**
 * The user's devices and who is online. A device comes online when it connects, registers or sends a
 * heartbeat; it goes offline when its connection closes cleanly or (see {@link PresenceSweeper}) when
 * it has been silent for the presence timeout. Siblings get a {@code device_state} on every change of
 * registration or online status, not on every heartbeat.
 *
 * <p>A forgotten device ({@code device_remove}, only while offline) is stored as a {@link Removal}:
 * device ops stamped before it are ignored, a later connect or registration brings the device back.
 */
public final class DeviceRegistry {

    /**
     * Stands for "no connection id" in ops that carry none (registrations, a raw device_heartbeat):
     * they keep the current connection id, and a device online without one goes offline on any close.
     */
    private static final String NO_SESSION = "-";
    /** Ordinary ops refresh a device's activity at most this often, so they cost no write each. */
    private static final long ACTIVITY_RESOLUTION_MS = 1000;

    private final EntityStore entities;
    private final PresenceStore presence;
    private final Emitter emit;
    private final Retention retention;
    private final Limits limits;

    public DeviceRegistry(EntityStore entities, PresenceStore presence, Emitter emit, Retention retention,
                          Limits limits) {
        this.entities = entities;
        this.presence = presence;
        this.emit = emit;
        this.retention = retention;
        this.limits = limits;
    }

    public void register(Op op, DeviceRegister register, long timestamp) {
        Entry<DeviceState> known = admitted(op);
        if (known == null) {
            return;
        }
        DeviceState live = known.live();
        // the latest registration names the device, whichever arrives last (clients resend out of order)
        DeviceState state = live == null || live.yieldsTo(op.timestamp(), register.name(), register.platform(),
                register.capabilities())
                ? new DeviceState(op.deviceId(), register.name(), register.platform(), register.capabilities(), true,
                        op.receivedAt(), next(known, op.timestamp()), op.timestamp())
                : live.withPresence(true, op.receivedAt(), next(known, op.timestamp()));
        entities.putDevice(op.userId(), state, known.exists());
        markActive(op, NO_SESSION);
        emit.device(op.userId(), state, timestamp);
    }

    public void presence(Op op, DevicePresence change, long timestamp) {
        switch (change.event()) {
            case CONNECT -> connect(op, change.sessionId(), timestamp);
            case HEARTBEAT -> heartbeat(op, change.sessionId(), timestamp);
            case DISCONNECT -> disconnect(op, change.sessionId(), timestamp);
            case TIMEOUT -> timeout(op, change, timestamp);
        }
    }

    /** A {@code device_heartbeat} in the log (the gateway normally writes presence heartbeats instead). */
    public void heartbeat(Op op, long timestamp) {
        heartbeat(op, NO_SESSION, timestamp);
    }

    /** Any other op of an online device is activity too: it keeps the device from timing out. */
    public void touch(Op op) {
        Activity activity = presence.get(op.userId(), op.deviceId());
        if (activity != null && op.receivedAt() - activity.lastActivity() >= ACTIVITY_RESOLUTION_MS) {
            presence.put(op.userId(), op.deviceId(), activity, activity.at(op.receivedAt()));
        }
    }

    /**
     * @param resent the op was applied before: only the current state is emitted again
     * @throws SyncException {@code unknown_device}, or {@code forbidden} for a device that is online
     */
    public void remove(Op op, DeviceRemove remove, boolean resent, long timestamp) {
        String target = remove.targetDeviceId();
        Entry<DeviceState> known = entities.deviceEntry(op.userId(), target);
        if (known.removal() != null) {
            emit.removed(op.userId(), Kind.DEVICE, target, known.removal().timestamp(), timestamp);
            return;
        }
        if (known.live() == null) {
            throw new SyncException(ErrorCode.UNKNOWN_DEVICE, "target_device_id " + target
                    + " is not a device of this user");
        }
        if (resent) {
            emit.device(op.userId(), known.live(), timestamp);
            return;
        }
        if (presence.get(op.userId(), target) != null) {
            throw new SyncException(ErrorCode.FORBIDDEN, "device " + target
                    + " is online; a device can be forgotten once it is offline");
        }
        Removal removal = new Removal(next(known, op.timestamp()), op.deviceId(), remove.opId());
        entities.putRemoval(op.userId(), Kind.DEVICE, target, removal, true);
        emit.removed(op.userId(), Kind.DEVICE, target, removal.timestamp(), timestamp);
    }

    private void connect(Op op, String sessionId, long timestamp) {
        Entry<DeviceState> known = admitted(op);
        if (known == null) {
            return;
        }
        DeviceState state = known.live() == null
                ? DeviceState.unregistered(op.deviceId(), op.receivedAt(), next(known, op.timestamp()))
                : known.live().withPresence(true, op.receivedAt(), next(known, op.timestamp()));
        entities.putDevice(op.userId(), state, known.exists());
        presence.put(op.userId(), op.deviceId(), presence.get(op.userId(), op.deviceId()),
                new Activity(op.receivedAt(), sessionId, slotOf(op)));
        emit.device(op.userId(), state, timestamp);
    }

    private void heartbeat(Op op, String sessionId, long timestamp) {
        if (presence.get(op.userId(), op.deviceId()) != null) {
            markActive(op, sessionId);
        } else {
            connect(op, sessionId, timestamp);
        }
    }

    private void disconnect(Op op, String sessionId, long timestamp) {
        Activity activity = presence.get(op.userId(), op.deviceId());
        DeviceState known = entities.device(op.userId(), op.deviceId());
        if (activity == null || known == null
                || !activity.sessionId().equals(sessionId) && !activity.sessionId().equals(NO_SESSION)) {
            return; // not online, or a newer connection carries it now
        }
        offline(op, known, op.receivedAt(), timestamp);
    }

    /** The sweeper found the device silent: offline, unless it was active since (the activity differs). */
    private void timeout(Op op, DevicePresence change, long timestamp) {
        Activity activity = presence.get(op.userId(), op.deviceId());
        DeviceState known = entities.device(op.userId(), op.deviceId());
        if (activity == null || known == null || activity.lastActivity() != change.lastActivity()
                || !activity.sessionId().equals(change.sessionId())) {
            return;
        }
        offline(op, known, activity.lastActivity(), timestamp);
    }

    private void offline(Op op, DeviceState known, long lastSeen, long timestamp) {
        presence.remove(op.userId(), op.deviceId());
        DeviceState state = known.withPresence(false, lastSeen, next(known.timestamp(), op.timestamp()));
        entities.putDevice(op.userId(), state, true);
        emit.device(op.userId(), state, timestamp);
    }

    /**
     * The device's entry when the op may create or change it; {@code null} when the op is older than the
     * device's removal and so changes nothing.
     *
     * @throws SyncException {@code limit_exceeded} for a new device beyond the cap
     */
    private Entry<DeviceState> admitted(Op op) {
        Entry<DeviceState> known = entities.deviceEntry(op.userId(), op.deviceId());
        if (known.removal() != null && !op.timestamp().isAfter(known.removal().timestamp())) {
            return null;
        }
        if (!known.exists()) {
            entities.requireRoom(op.userId(), Kind.DEVICE, limits.devices(), retention.oldestAccepted(op.receivedAt()));
        }
        return known;
    }

    /**
     * A registration (no session id) keeps the device's connection and slot; a heartbeat names its
     * connection and the slot of the gateway that holds it.
     */
    private void markActive(Op op, String sessionId) {
        Activity activity = presence.get(op.userId(), op.deviceId());
        boolean keep = NO_SESSION.equals(sessionId) && activity != null;
        presence.put(op.userId(), op.deviceId(), activity, new Activity(op.receivedAt(),
                keep ? activity.sessionId() : sessionId, keep ? activity.slot() : slotOf(op)));
    }

    private static int slotOf(Op op) {
        return op.gatewaySlot() == null ? Activity.NO_SLOT : op.gatewaySlot();
    }

    private static Hlc next(Entry<DeviceState> known, Hlc candidate) {
        Hlc previous = known.live() != null ? known.live().timestamp()
                : known.removal() != null ? known.removal().timestamp() : null;
        return next(previous, candidate);
    }

    /** Versions of one device's state only move forward, whatever the clocks did. */
    static Hlc next(Hlc previous, Hlc candidate) {
        return previous == null ? candidate : Hlc.max(previous.successor(), candidate);
    }
}
