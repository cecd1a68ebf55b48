package dev.mediasync.gateway.ops;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.Retention;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.base.DaemonThreads;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Accepts an op for the log: checks its timestamp against the skew bound and the retention horizon,
 * stamps it when the client did not, and writes it keyed by user. The returned future completes with
 * the {@code ack} once Kafka has the op durably (acks=all), or with an {@code unavailable} refusal; the
 * caller's thread never waits for Kafka.
 */
@Service
public class OpSubmitter implements DisposableBean {

    /** After a send found the log down, queued ops are refused at once for this long instead of each waiting. */
    private static final long LOG_DOWN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A send is made on the caller's thread only while the log acked one this recently (see {@link #write}). */
    private static final long LOG_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;
    private final UserClocks clocks;
    private final Retention retention;
    private final String topic;
    private final Timer durable;
    private final ThreadPoolExecutor writer;
    private volatile long logFailedAt = System.nanoTime() - LOG_DOWN_NANOS;
    private volatile long logAckedAt = System.nanoTime() - LOG_UP_NANOS;
    /** Ops handed to the writer thread and not yet given to the producer. */
    private final AtomicInteger withWriter = new AtomicInteger();

    public OpSubmitter(KafkaTemplate<String, byte[]> kafka, MessageCodec codec, UserClocks clocks,
                       GatewayProperties properties, MeterRegistry registry) {
        this.kafka = kafka;
        this.codec = codec;
        this.clocks = clocks;
        this.retention = new Retention(properties.tombstoneRetention());
        this.topic = properties.topics().ops();
        // One thread keeps each device's ops in the order they were accepted; the queue bounds the wait.
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.maxPendingWrites()), DaemonThreads.named("op-log-writer"));
        this.durable = Timer.builder("sync.gateway.op.durable").description("From accepting an op to its Kafka ack")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** @throws SyncException {@code clock_skew} or {@code stale} for a client timestamp out of bounds */
    public CompletableFuture<Ack> submit(AuthenticatedDevice device, ClientRequest request) {
        Hlc timestamp = request.clientTimestamp();
        long now = clocks.physicalMs();
        if (timestamp == null) {
            timestamp = clocks.now(device.userId());
        } else {
            retention.requireFresh(timestamp, now);
            clocks.observe(device.userId(), timestamp);
        }
        Hlc stamped = timestamp;
        return write(new Op(device.userId(), device.deviceId(), stamped, now, request.message()))
                .thenApply(ignored -> new Ack(request.message().opId(), stamped));
    }

    /** Writes a presence change the gateway observed; best effort, the caller does not wait. */
    public CompletableFuture<Void> presence(AuthenticatedDevice device, PresenceEvent event, String sessionId) {
        return write(new Op(device.userId(), device.deviceId(), clocks.now(device.userId()), clocks.physicalMs(),
                new DevicePresence(event, sessionId)));
    }

    /**
     * Returns at once: a request or WebSocket thread never waits for Kafka. While the log acked a send
     * within the last second and the writer thread has nothing queued, the producer has the topic's
     * metadata and room in its buffer, so the send is made right here (a hand-off per op less). Otherwise
     * the op goes to the writer thread, where a send may wait for metadata; when it is behind by
     * {@code max-pending-writes} ops, or the log failed a moment ago, the op is refused at once. An op
     * goes here only when nothing is with the writer, so each device's ops keep their order.
     */
    private CompletableFuture<Void> write(Op op) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        byte[] value = codec.encodeOp(op);
        if (withWriter.get() == 0 && System.nanoTime() - logAckedAt < LOG_UP_NANOS) {
            send(op, value, result);
            return result;
        }
        withWriter.incrementAndGet();
        try {
            writer.execute(() -> {
                try {
                    send(op, value, result);
                } finally {
                    withWriter.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            withWriter.decrementAndGet();
            result.completeExceptionally(new SyncException(ErrorCode.UNAVAILABLE, "the op log is not taking writes "
                    + "right now; resend it in a few seconds"));
        }
        return result;
    }

    private void send(Op op, byte[] value, CompletableFuture<Void> result) {
        if (System.nanoTime() - logFailedAt < LOG_DOWN_NANOS) {
            result.completeExceptionally(unavailable(op.body(), new TimeoutException("the op log failed just now")));
            return;
        }
        long start = System.nanoTime();
        try {
            kafka.send(topic, op.userId(), value).whenComplete((sent, error) -> {
                if (error == null) {
                    logAckedAt = System.nanoTime();
                    durable.record(logAckedAt - start, TimeUnit.NANOSECONDS);
                    result.complete(null);
                } else {
                    if (isTimeout(error)) { // no metadata within max.block.ms, or no broker: the log is down
                        logFailedAt = System.nanoTime();
                    }
                    result.completeExceptionally(unavailable(op.body(), error));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(unavailable(op.body(), e));
        }
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void destroy() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static SyncException unavailable(OpBody body, Throwable cause) {
        return new SyncException(ErrorCode.UNAVAILABLE, "the op log did not take " + body.type()
                + " (" + cause.getClass().getSimpleName() + "); resend it");
    }
}
