package dev.mediasync.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpLogWriterTest {

    /** A log whose appends the test completes by hand, noting each key, value and calling thread. */
    private static final class HandLog implements OpLogWriter.Log {
        record Append(String key, String value, String thread, CompletableFuture<Long> done) {
        }

        final List<Append> appends = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final AtomicLong entered = new AtomicLong();

        @Override
        public CompletableFuture<Long> append(String topic, String key, byte[] value) {
            entered.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CompletableFuture<Long> done = new CompletableFuture<>();
            appends.add(new Append(key, new String(value, StandardCharsets.UTF_8), Thread.currentThread().getName(), done));
            return done;
        }

        Append last() {
            return appends.get(appends.size() - 1);
        }
    }

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final List<Long> latencies = new CopyOnWriteArrayList<>();
    private final HandLog log = new HandLog();
    private final OpLogWriter writer = new OpLogWriter(log, 2, nanos::get, latencies::add);

    @AfterEach
    void close() throws InterruptedException {
        log.gate.countDown();
        writer.close();
    }

    private CompletableFuture<Long> write(String value) {
        return writer.write("sync.ops.v1", "alice", value.getBytes(StandardCharsets.UTF_8), "watchlist_update");
    }

    private void ackedOnce() {
        CompletableFuture<Long> first = write("first");
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.appends.size() == 1);
        log.last().done().complete(null);
        assertThat(first).isCompleted();
    }

    @Test
    void beforeTheLogAckedAnythingAWriteGoesThroughTheWriterThread() {
        write("a");
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.appends.size() == 1);
        assertThat(log.last().thread()).startsWith("op-log-writer");
        assertThat(log.last().key()).isEqualTo("alice");
        assertThat(log.last().value()).isEqualTo("a");
    }

    @Test
    void whileTheLogAcksAWriteIsStartedOnTheCallersThread() {
        ackedOnce();
        write("b");
        assertThat(log.appends).hasSize(2);
        assertThat(log.last().thread()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aSecondWithoutAnAckSendsWritesBackToTheWriterThread() {
        ackedOnce();
        nanos.addAndGet(OpLogWriter.LOG_UP_NANOS);
        write("late");
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.appends.size() == 2);
        assertThat(log.last().thread()).startsWith("op-log-writer");
    }

    @Test
    void theLatencyIsFromTheStartOfTheAppendToItsAck() {
        ackedOnce();
        CompletableFuture<Long> written = write("timed");
        nanos.addAndGet(7_000_000);
        log.last().done().complete(null);
        assertThat(written).isCompleted();
        assertThat(latencies).last().isEqualTo(7_000_000L);
    }

    @Test
    void aTimeoutRefusesWritesForTwoSecondsWithoutTryingTheLog() {
        ackedOnce();
        CompletableFuture<Long> timedOut = write("t");
        log.last().done().completeExceptionally(new TimeoutException("no metadata"));
        assertUnavailable(timedOut);

        CompletableFuture<Long> refused = write("refused");
        await().atMost(5, TimeUnit.SECONDS).until(refused::isDone);
        assertUnavailable(refused);
        assertThat(log.appends).hasSize(2);

        nanos.addAndGet(OpLogWriter.LOG_DOWN_NANOS);
        CompletableFuture<Long> retried = write("retried");
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.appends.size() == 3);
        log.last().done().complete(null);
        assertThat(retried).isCompleted();
    }

    @Test
    void aFailureThatIsNotATimeoutRefusesOnlyItsOwnWrite() {
        ackedOnce();
        CompletableFuture<Long> failed = write("f");
        log.last().done().completeExceptionally(new IllegalStateException("record too large"));
        assertUnavailable(failed);

        write("next");
        assertThat(log.appends).hasSize(3);
    }

    @Test
    void writesPastTheWritersQueueAreRefusedAtOnceAndTheRestKeepTheirOrder() {
        log.gate = new CountDownLatch(1); // the writer thread stops in its first append
        CompletableFuture<Long> first = write("1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.entered.get() == 1); // the writer thread waits in it
        CompletableFuture<Long> second = write("2");
        CompletableFuture<Long> third = write("3");
        CompletableFuture<Long> fourth = write("4"); // the queue holds two

        assertUnavailable(fourth);
        assertThat(first).isNotDone();
        log.gate.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.appends.size() == 3);
        assertThat(log.appends).extracting(HandLog.Append::value).containsExactly("1", "2", "3");
        log.appends.forEach(append -> append.done().complete(null));
        assertThat(List.of(first, second, third)).allMatch(CompletableFuture::isDone);
    }

    private static void assertUnavailable(CompletableFuture<Long> write) {
        assertThat(write).isCompletedExceptionally();
        Throwable cause = write.handle((ok, error) -> error instanceof CompletionException ? error.getCause() : error).join();
        assertThat(cause).isInstanceOf(SyncException.class);
        assertThat(((SyncException) cause).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
