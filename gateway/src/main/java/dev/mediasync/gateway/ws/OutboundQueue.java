package dev.mediasync.gateway.ws;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;

/**
 * One connection's frames, written one at a time in the order they were queued. A write is started and
 * its end continues the queue (see {@link FrameSink}): no thread waits while a device reads, so a slow or
 * stuck device only ever holds up itself. When more than {@code bufferLimit} bytes wait, or a write
 * fails or times out, the connection is closed ({@link DeviceSession#SEND_BUFFER_OVERFLOW},
 * {@link DeviceSession#SEND_FAILED}).
 */
final class OutboundQueue {

    private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);

    /** A text frame and the bytes of the send buffer it takes, a ping ({@code text} null), or a close. */
    private record Outbound(String text, long bufferBytes, CloseStatus close) {

        static final Outbound PING = new Outbound(null, 0, null);
    }

    private final FrameSink sink;
    private final Executor senders;
    private final long bufferLimit;
    private final String label;
    private final Runnable onClose;
    private final Queue<Outbound> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param label   who the connection is, for the log
     * @param onClose run once, when the connection is marked closed
     */
    OutboundQueue(FrameSink sink, Executor senders, long bufferLimit, String label, Runnable onClose) {
        this.sink = sink;
        this.senders = senders;
        this.bufferLimit = bufferLimit;
        this.label = label;
        this.onClose = onClose;
    }

    long bufferLimit() {
        return bufferLimit;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Queues a frame that counts against the send buffer. */
    void send(String json) {
        send(json, true);
    }

    /** @param bounded whether the frame counts against the send buffer (a snapshot does not) */
    void send(String json, boolean bounded) {
        if (closed.get()) {
            return;
        }
        long bytes = bounded ? json.length() : 0; // chars: the frames are JSON, nearly all ASCII
        if (queuedBytes.addAndGet(bytes) > bufferLimit) {
            closeBecause(DeviceSession.SEND_BUFFER_OVERFLOW);
            return;
        }
        outbound.add(new Outbound(json, bytes, null));
        startDrain();
    }

    /** A server ping, sent in turn with the frames (a connection takes one writer at a time). */
    void ping() {
        if (!closed.get()) {
            outbound.add(Outbound.PING);
            startDrain();
        }
    }

    /** Closes with {@code status} once everything queued before it is sent. */
    void closeAfterQueued(CloseStatus status) {
        if (!closed.get()) {
            outbound.add(new Outbound(null, 0, status));
            startDrain();
        }
    }

    /** Closes now, on the calling thread; nothing queued is sent after this. */
    void close(CloseStatus status) {
        if (markClosed()) {
            closeSink(status);
        }
    }

    /** Closes for a failure of the connection, logged once. */
    void closeBecause(CloseStatus status) {
        if (!closed.get()) {
            log.info("Closing {}: {}", label, status.getReason());
        }
        closeOnSender(status);
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
        onClose.run();
        return true;
    }

    private void closeSink(CloseStatus status) {
        try {
            sink.close(status);
        } catch (IOException | RuntimeException ignored) {
            // the connection is already gone
        }
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
                log.debug("Send to {} failed", label, error);
                closeBecause(DeviceSession.SEND_FAILED);
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
            closeBecause(DeviceSession.SEND_FAILED);
        }
        drain();
    }
}
