package dev.mediasync.gateway.ws;

import dev.mediasync.protocol.UserEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshot, then stream, with no gap and no step back: until a connection's snapshot is sent, everything
 * for it (pushed events, replies) waits here; after the snapshot only events newer than what it showed
 * go through, held or late. What waits counts against the send buffer like what is queued; the snapshot
 * itself does not (its size is bounded by the per-user caps, not by what the device reads).
 */
final class SnapshotGate {

    /** A frame waiting for the snapshot, with its event version (see {@code UserEvent.version}). */
    private record Held(String json, long version) {
    }

    private final OutboundQueue queue;
    private List<Held> held = new ArrayList<>();
    private long heldBytes;
    /** The version of the user's events the snapshot showed; events up to it are not sent again. */
    private long snapshotVersion = UserEvent.NO_VERSION;

    SnapshotGate(OutboundQueue queue) {
        this.queue = queue;
    }

    /** A reply (ack, error): queued in order with everything else, after the snapshot. */
    void reply(String json) {
        synchronized (this) {
            if (held != null) {
                hold(new Held(json, UserEvent.NO_VERSION));
                return;
            }
        }
        queue.send(json);
    }

    /** A pushed event of {@code version}: held while the snapshot is on its way, dropped when it showed it. */
    void push(String json, long version) {
        synchronized (this) {
            if (held != null) {
                hold(new Held(json, version));
                return;
            }
            if (!follows(version, snapshotVersion)) {
                return;
            }
        }
        queue.send(json);
    }

    /**
     * Queues the snapshot (none when it could not be read) and then the held frames it does not show.
     * Only the first call counts (a late snapshot after the connection gave up on it changes nothing).
     */
    synchronized void release(String snapshotJson, long snapshotVersion) {
        if (held == null) {
            return;
        }
        if (snapshotJson != null) {
            this.snapshotVersion = snapshotVersion;
            queue.send(snapshotJson, false);
        }
        for (Held event : held) {
            if (snapshotJson == null || follows(event.version(), snapshotVersion)) {
                queue.send(event.json());
            }
        }
        held = null;
    }

    /** Drops what waits for a snapshot that will not come (the device is asked to reconnect). */
    synchronized void discardHeld() {
        if (held != null) {
            held.clear();
        }
    }

    private void hold(Held event) {
        heldBytes += event.json().length();
        if (heldBytes > queue.bufferLimit()) {
            held.clear();
            queue.closeBecause(DeviceSession.SEND_BUFFER_OVERFLOW);
            return;
        }
        held.add(event);
    }

    private static boolean follows(long version, long snapshotVersion) {
        return version == UserEvent.NO_VERSION || snapshotVersion == UserEvent.NO_VERSION || version > snapshotVersion;
    }
}
