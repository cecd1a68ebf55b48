package dev.mediasync.processor.device;

import dev.mediasync.clock.Hlc;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.processor.store.PresenceStore.Activity;
import dev.mediasync.processor.topology.Emitter;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.Op;

/**
 * The user's devices and who is online. A device comes online when it connects, registers or sends a
 * heartbeat; it goes offline when its connection closes cleanly or (see {@link PresenceSweeper}) when
 * it has been silent for the presence timeout. Siblings get a {@code device_state} on every change of
 * registration or online status, not on every heartbeat.
 */
public final class DeviceRegistry {

    /**
     * Stands for "no connection id" in ops that carry none (registrations, a raw device_heartbeat):
     * they keep the current connection id, and a device online without one goes offline on any close.
     */
    private static final String NO_SESSION = "-";

    private final EntityStore entities;
    private final PresenceStore presence;
    private final Emitter emit;

    public DeviceRegistry(EntityStore entities, PresenceStore presence, Emitter emit) {
        this.entities = entities;
        this.presence = presence;
        this.emit = emit;
    }

    public void register(Op op, DeviceRegister register, long timestamp) {
        DeviceState known = entities.device(op.userId(), op.deviceId());
        DeviceState state = new DeviceState(op.deviceId(), register.name(), register.platform(),
                register.capabilities(), true, op.receivedAt(), next(known, op.timestamp()));
        entities.putDevice(op.userId(), state);
        markActive(op, NO_SESSION);
        emit.device(op.userId(), state, timestamp);
    }

    public void presence(Op op, DevicePresence change, long timestamp) {
        switch (change.event()) {
            case CONNECT -> connect(op, change.sessionId(), timestamp);
            case HEARTBEAT -> heartbeat(op, change.sessionId(), timestamp);
            case DISCONNECT -> disconnect(op, change.sessionId(), timestamp);
        }
    }

    /** A {@code device_heartbeat} in the log (the gateway normally writes presence heartbeats instead). */
    public void heartbeat(Op op, long timestamp) {
        heartbeat(op, NO_SESSION, timestamp);
    }

    private void connect(Op op, String sessionId, long timestamp) {
        DeviceState known = entities.device(op.userId(), op.deviceId());
        DeviceState state = known == null
                ? DeviceState.unregistered(op.deviceId(), op.receivedAt(), op.timestamp())
                : known.withPresence(true, op.receivedAt(), next(known, op.timestamp()));
        entities.putDevice(op.userId(), state);
        presence.put(op.userId(), op.deviceId(), new Activity(op.receivedAt(), sessionId));
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
        presence.remove(op.userId(), op.deviceId());
        DeviceState state = known.withPresence(false, op.receivedAt(), next(known, op.timestamp()));
        entities.putDevice(op.userId(), state);
        emit.device(op.userId(), state, timestamp);
    }

    private void markActive(Op op, String sessionId) {
        Activity activity = presence.get(op.userId(), op.deviceId());
        String session = NO_SESSION.equals(sessionId) && activity != null ? activity.sessionId() : sessionId;
        presence.put(op.userId(), op.deviceId(), new Activity(op.receivedAt(), session));
    }

    /** Versions of one device's state only move forward, whatever the clocks did. */
    static Hlc next(DeviceState known, Hlc candidate) {
        return known == null ? candidate : Hlc.max(known.timestamp().successor(), candidate);
    }
}
