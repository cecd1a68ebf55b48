package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.protocol.UserEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;

/**
 * One connected device. Every frame to it goes through its own queue and is written one at a time, so
 * frames keep their order. A write is started and its end continues the queue (see {@link FrameSink}):
 * no thread waits while a device reads, so a slow or stuck device only ever holds up itself. When more
 * than the configured bytes are waiting, or a write does not finish within the send timeout, the
 * connection is closed ({@link #SEND_BUFFER_OVERFLOW}, {@link #SEND_FAILED}).
 *
 * <p>Until its snapshot is sent the session holds pushed events back; after the snapshot only events
 * newer than what the snapshot showed are sent, held or late (snapshot, then stream, no gap and no step
 * back). The snapshot itself is not counted against the send buffer: its size is bounded by the per-user
 * caps, not by what the device reads.
 */
public final class DeviceSession {

    public static final CloseStatus SEND_BUFFER_OVERFLOW =
            new CloseStatus(CloseStatus.POLICY_VIOLATION.getCode(), "send buffer overflow: the device reads too slowly");
    public static final CloseStatus SEND_FAILED = CloseStatus.SERVER_ERROR.withReason("send failed or timed out");
    /** The close after an {@code unauthorized} error: the token expired and was not refreshed. */
    public static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4401, "token expired");

    private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);

    private final FrameSink sink;
    private final AuthenticatedDevice device;
    private final String sessionId;
    private final Executor senders;
    private final long bufferLimit;
    private final LongSupplier clock;
    private volatile Instant expiresAt;
    private volatile ScheduledFuture<?> expiryTimer;

    private final Queue<Outbound> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong lastActivity;
    private final AtomicLong lastHeartbeat;

    private final FrameAssembler frames;
    private List<HeldEvent> held = new ArrayList<>();
    private long heldBytes;
    /** The version of the user's events the snapshot showed; events up to it are not sent again. */
    private long snapshotVersion = UserEvent.NO_VERSION;

    /** A text frame to send and the bytes of the send buffer it takes, a ping ({@code text} null), or a close. */
    private record Outbound(String text, long bufferBytes, CloseStatus close) {

        static final Outbound PING = new Outbound(null, 0, null);
    }

    /** A pushed event waiting for the snapshot, with its version (see {@code UserEvent.version}). */
    private record HeldEvent(String json, long version) {

        boolean follows(long snapshotVersion) {
            return version == UserEvent.NO_VERSION || snapshotVersion == UserEvent.NO_VERSION
                    || version > snapshotVersion;
        }
    }

    /** @param clock wall-clock milliseconds (a fake one in tests) */
    DeviceSession(FrameSink sink, AuthenticatedDevice device, Instant expiresAt, String sessionId,
                  Executor senders, long bufferLimit, FrameAssembler frames, LongSupplier clock) {
        this.frames = frames;
        this.clock = clock;
        this.expiresAt = expiresAt;
        this.lastActivity = new AtomicLong(clock.getAsLong());
        this.lastHeartbeat = new AtomicLong(clock.getAsLong());
        this.sink = sink;
        this.device = device;
        this.sessionId = sessionId;
        this.senders = senders;
        this.bufferLimit = bufferLimit;
    }

    public AuthenticatedDevice device() {
        return device;
    }

    public String sessionId() {
        return sessionId;
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
        if (closed.get()) {
            timer.cancel(false);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Sends {@code json} after everything queued, then closes with {@code status}. */
    void replyAndClose(String json, CloseStatus status) {
        release(null, UserEvent.NO_VERSION); // whatever was held goes first; nothing when already released
        enqueue(json);
        if (!closed.get()) {
            outbound.add(new Outbound(null, 0, status));
            startDrain();
        }
    }

    /** Drops the events held for a snapshot that will not come (the device is asked to reconnect). */
    synchronized void discardHeld() {
        if (held != null) {
            held.clear();
        }
    }

    /** A reply to this device (ack, error): sent in order with everything else, after the snapshot. */
    public void reply(String json) {
        synchronized (this) {
            if (held != null) {
                hold(new HeldEvent(json, UserEvent.NO_VERSION));
                return;
            }
        }
        enqueue(json);
    }

    /** A pushed event, held while the snapshot is on its way. */
    public void push(String json, long version) {
        synchronized (this) {
            if (held != null) {
                hold(new HeldEvent(json, version));
                return;
            }
            if (!new HeldEvent(json, version).follows(snapshotVersion)) {
                return; // a late event the snapshot already showed
            }
        }
        enqueue(json);
    }

    /** Holds an event for after the snapshot; what waits counts against the send buffer like what is queued. */
    private void hold(HeldEvent event) {
        heldBytes += event.json().length();
        if (heldBytes > bufferLimit) {
            held.clear();
            closeBecause(SEND_BUFFER_OVERFLOW);
            return;
        }
        held.add(event);
    }

    /**
     * Sends the snapshot (none when it could not be read) and then the held events it does not show yet.
     * Only the first call counts (a late snapshot after the connection gave up on it changes nothing).
     *
     * @param snapshotVersion the version of the user's events the snapshot includes
     */
    public void release(String snapshotJson, long snapshotVersion) {
        synchronized (this) {
            if (held == null) {
                return;
            }
            if (snapshotJson != null) {
                this.snapshotVersion = snapshotVersion;
                enqueue(snapshotJson, false);
            }
            for (HeldEvent event : held) {
                if (snapshotJson == null || event.follows(snapshotVersion)) {
                    enqueue(event.json());
                }
            }
            held = null;
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

    void close(CloseStatus status) {
        if (markClosed()) {
            closeSink(status);
        }
    }

    /**
     * Closes from a thread that must not wait: the close frame to a device that reads nothing can block
     * for the send timeout, so it is sent by a sender thread. Nothing queued is sent after this.
     */
    private void closeOnSender(CloseStatus status) {
        if (markClosed()) {
            senders.execute(() -> closeSink(status));
        }
    }

    private boolean markClosed() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> timer = expiryTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        return true;
    }

    private void closeSink(CloseStatus status) {
        try {
            sink.close(status);
        } catch (IOException | RuntimeException ignored) {
            // the connection is already gone
        }
    }

    /** A server ping, sent in turn with the frames (a connection takes one writer at a time). */
    void ping() {
        if (!closed.get()) {
            outbound.add(Outbound.PING);
            startDrain();
        }
    }

    private void enqueue(String json) {
        enqueue(json, true);
    }

    private void enqueue(String json, boolean bounded) {
        if (closed.get()) {
            return;
        }
        long bytes = bounded ? json.length() : 0; // chars: the frames are JSON, nearly all ASCII
        if (queuedBytes.addAndGet(bytes) > bufferLimit) {
            closeBecause(SEND_BUFFER_OVERFLOW);
            return;
        }
        outbound.add(new Outbound(json, bytes, null));
        startDrain();
    }

    private void closeBecause(CloseStatus status) {
        if (!closed.get()) {
            log.info("Closing {} of user {}: {}", device.deviceId(), device.userId(), status.getReason());
        }
        closeOnSender(status);
    }

    /**
     * A sink that only starts writes is drained on the calling thread (the fan-out's, Kafka's callback,
     * a request's), which never waits on the device: no hand-off to a sender thread per frame.
     */
    private void startDrain() {
        if (draining.compareAndSet(false, true)) {
            if (sink.blocks()) {
                senders.execute(this::drain);
            } else {
                drain();
            }
        }
    }

    /**
     * Writes the queue one frame at a time. A write that completes at once continues the loop; one that
     * completes later continues it from its callback. A ping or a close may block for a moment, so it runs
     * on a sender thread, never on the thread that queued a frame or completed a write.
     */
    private void drain() {
        while (true) {
            Outbound next = outbound.poll();
            if (next == null) {
                draining.set(false);
                if (outbound.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            queuedBytes.addAndGet(-next.bufferBytes());
            if (closed.get()) {
                continue; // dropped
            }
            if (next.close() != null) {
                closeOnSender(next.close());
            } else if (next.text() == null) {
                senders.execute(this::pingThenDrain);
                return;
            } else if (!sendFrom(next.text())) {
                return;
            }
        }
    }

    /** Starts one write; true when it already completed, so the caller goes on with the queue. */
    private boolean sendFrom(String text) {
        AtomicInteger phase = new AtomicInteger(); // 0 writing, 1 completed inline, 2 completes later
        sink.send(text, error -> {
            if (error != null) {
                log.debug("Send to {} failed", device.deviceId(), error);
                closeBecause(SEND_FAILED);
            }
            if (!phase.compareAndSet(0, 1)) {
                drain();
            }
        });
        return !phase.compareAndSet(0, 2);
    }

    private void pingThenDrain() {
        try {
            sink.ping();
        } catch (IOException | RuntimeException e) {
            closeBecause(SEND_FAILED);
        }
        drain();
    }
}
