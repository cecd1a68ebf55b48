package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.protocol.UserEvent;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.web.socket.CloseStatus;

/**
 * One connected device: who it is, its token's expiry, when it was last heard from, and the two parts
 * every frame to it goes through: the {@link SnapshotGate} (nothing before the snapshot, nothing the
 * snapshot already showed) and the {@link OutboundQueue} (one write at a time, bounded, never waited on).
 */
public final class DeviceSession {

    public static final CloseStatus SEND_BUFFER_OVERFLOW =
            new CloseStatus(CloseStatus.POLICY_VIOLATION.getCode(), "send buffer overflow: the device reads too slowly");
    public static final CloseStatus SEND_FAILED = CloseStatus.SERVER_ERROR.withReason("send failed or timed out");
    /** The close after an {@code unauthorized} error: the token expired and was not refreshed. */
    public static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4401, "token expired");
    public static final CloseStatus USER_ERASED = new CloseStatus(4410, "user erased");

    private final AuthenticatedDevice device;
    private final String sessionId;
    private final LongSupplier clock;
    private final FrameAssembler frames;
    private final OutboundQueue queue;
    private final SnapshotGate gate;
    private final AtomicLong lastActivity;
    private final AtomicLong lastHeartbeat;
    private volatile Instant expiresAt;
    private volatile ScheduledFuture<?> expiryTimer;

    /** @param clock wall-clock milliseconds (a fake one in tests) */
    DeviceSession(FrameSink sink, AuthenticatedDevice device, Instant expiresAt, String sessionId,
                  Executor senders, long bufferLimit, FrameAssembler frames, LongSupplier clock) {
        this.device = device;
        this.sessionId = sessionId;
        this.clock = clock;
        this.frames = frames;
        this.expiresAt = expiresAt;
        this.queue = new OutboundQueue(sink, senders, bufferLimit,
                device.deviceId() + " of user " + device.userId(), this::cancelExpiryTimer);
        this.gate = new SnapshotGate(queue);
        this.lastActivity = new AtomicLong(clock.getAsLong());
        this.lastHeartbeat = new AtomicLong(clock.getAsLong());
    }

    public AuthenticatedDevice device() {
        return device;
    }

    public String sessionId() {
        return sessionId;
    }

    /** A reply to this device (ack, error): sent in order with everything else, after the snapshot. */
    public void reply(String json) {
        gate.reply(json);
    }

    /** A pushed event, held while the snapshot is on its way. */
    public void push(String json, long version) {
        gate.push(json, version);
    }

    /**
     * Sends the snapshot (none when it could not be read) and then the held events it does not show yet.
     *
     * @param snapshotVersion the version of the user's events the snapshot includes
     */
    public void release(String snapshotJson, long snapshotVersion) {
        gate.release(snapshotJson, snapshotVersion);
    }

    /** Drops the events held for a snapshot that will not come (the device is asked to reconnect). */
    void discardHeld() {
        gate.discardHeld();
    }

    /** Sends {@code json} after everything queued, then closes with {@code status}. */
    public void replyAndClose(String json, CloseStatus status) {
        gate.release(null, UserEvent.NO_VERSION); // whatever was held goes first; nothing when already released
        queue.send(json);
        queue.closeAfterQueued(status);
    }

    void ping() {
        queue.ping();
    }

    void close(CloseStatus status) {
        queue.close(status);
    }

    boolean isClosed() {
        return queue.isClosed();
    }

    /** When the token of this connection expires. */
    Instant expiresAt() {
        return expiresAt;
    }

    /** A refreshed token's expiry (same user and device, checked by the caller). */
    void extendTo(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    /** The timer that ends this connection at its token's expiry; cancelled when it closes. */
    void watchExpiry(ScheduledFuture<?> timer) {
        this.expiryTimer = timer;
        if (queue.isClosed()) {
            timer.cancel(false);
        }
    }

    private void cancelExpiryTimer() {
        ScheduledFuture<?> timer = expiryTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    FrameAssembler frames() {
        return frames;
    }

    void touch() {
        lastActivity.set(clock.getAsLong());
    }

    long lastActivity() {
        return lastActivity.get();
    }

    /** True at most once per {@code intervalMs}: whether a presence heartbeat is due. */
    boolean heartbeatDue(long intervalMs) {
        long now = clock.getAsLong();
        long last = lastHeartbeat.get();
        return now - last >= intervalMs && lastHeartbeat.compareAndSet(last, now);
    }
}
