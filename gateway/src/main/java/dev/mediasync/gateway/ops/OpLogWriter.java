package dev.mediasync.gateway.ops;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.base.DaemonThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Writes encoded ops (and the data keys they are sealed with) to the log, keyed by user, and never makes
 * its caller wait for Kafka. While the log
 * acked a write within the last second and nothing is queued, the write is started on the caller's
 * thread (the producer has the topic's metadata and room in its buffer: a hand-off per op less).
 * Otherwise it goes to one writer thread, where a send may wait for metadata; that thread keeps the order
 * of what it was given, and an op only skips it when nothing is with it, so each device's ops keep their
 * order. When {@code maxPending} ops wait for the writer, or the log timed out within the last two
 * seconds, a write is refused at once with {@code unavailable} instead of waiting.
 */
public final class OpLogWriter implements AutoCloseable {

    /**
     * Starts an append of {@code value} under {@code key} to {@code topic}; the future completes with its
     * offset once the log has it.
     */
    @FunctionalInterface
    public interface Log {
        CompletableFuture<Long> append(String topic, String key, byte[] value);
    }

    static final long LOG_DOWN_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long LOG_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Log log;
    private final LongSupplier nanoClock;
    private final LongConsumer durable;
    private final ThreadPoolExecutor writer;
    /** Ops handed to the writer thread and not yet given to the log. */
    private final AtomicInteger withWriter = new AtomicInteger();
    private volatile long logFailedAt;
    private volatile long logAckedAt;

    /**
     * @param nanoClock {@link System#nanoTime} (a fake one in tests)
     * @param durable   told how long the log took to take each write, in nanoseconds
     */
    public OpLogWriter(Log log, int maxPending, LongSupplier nanoClock, LongConsumer durable) {
        this.log = log;
        this.nanoClock = nanoClock;
        this.durable = durable;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxPending),
                DaemonThreads.named("op-log-writer"));
        long now = nanoClock.getAsLong();
        this.logFailedAt = now - LOG_DOWN_NANOS;
        this.logAckedAt = now - LOG_UP_NANOS;
    }

    /**
     * @param what the op's type, for the refusal's message
     * @return completes with the op's offset in the log once the log has it, or with an {@code unavailable}
     *     {@link SyncException}
     */
    public CompletableFuture<Long> write(String topic, String key, byte[] value, String what) {
        if (withWriter.get() == 0 && nanoClock.getAsLong() - logAckedAt < LOG_UP_NANOS) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            append(topic, key, value, what, result);
            return result;
        }
        return writeOnWriterThread(topic, key, value, what);
    }

    /**
     * As {@link #write}, always on the writer thread: for a caller that must not send itself, such as the
     * producer's own I/O thread completing an earlier write (a send there waiting for metadata would wait
     * for itself).
     */
    public CompletableFuture<Long> writeOnWriterThread(String topic, String key, byte[] value, String what) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        withWriter.incrementAndGet();
        try {
            writer.execute(() -> {
                try {
                    append(topic, key, value, what, result);
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

    private void append(String topic, String key, byte[] value, String what, CompletableFuture<Long> result) {
        long start = nanoClock.getAsLong();
        if (start - logFailedAt < LOG_DOWN_NANOS) {
            result.completeExceptionally(unavailable(what, new TimeoutException("the op log failed just now")));
            return;
        }
        try {
            log.append(topic, key, value).whenComplete((offset, error) -> {
                if (error == null) {
                    logAckedAt = nanoClock.getAsLong();
                    durable.accept(logAckedAt - start);
                    result.complete(offset);
                } else {
                    if (isTimeout(error)) { // no metadata within max.block.ms, or no broker: the log is down
                        logFailedAt = nanoClock.getAsLong();
                    }
                    result.completeExceptionally(unavailable(what, error));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(unavailable(what, e));
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

    private static SyncException unavailable(String what, Throwable cause) {
        return new SyncException(ErrorCode.UNAVAILABLE, "the op log did not take " + what
                + " (" + cause.getClass().getSimpleName() + "); resend it");
    }

    /** Lets the writer thread finish what it was given, for up to five seconds. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
