package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.protocol.UserEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

class DeviceSessionTest {

    /** Runs sender tasks only when the test says so, to see what is queued and how drains are started. */
    private static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    private final RecordingSocket socket = new RecordingSocket();
    private final ManualExecutor senders = new ManualExecutor();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final DeviceSession session = new DeviceSession(new FrameSink.Blocking(socket), new AuthenticatedDevice("alice", "tv"),
            Instant.ofEpochMilli(10_000_000), "s1", senders, 100, new FrameAssembler(4096, 65536), clock::get);

    @Test
    void theSnapshotComesFirstThenOnlyEventsNewerThanItHeldOrLate() {
        session.push("{\"v\":5}", 5);
        session.reply("{\"ack\":1}");
        session.push("{\"v\":9}", 9);
        session.release("{\"snapshot\":7}", 7);
        session.push("{\"v\":6}", 6); // late, the snapshot showed it
        session.push("{\"v\":10}", 10);
        session.push("{\"command\":1}", UserEvent.NO_VERSION);
        senders.runAll();

        assertThat(socket.texts()).containsExactly("{\"snapshot\":7}", "{\"ack\":1}", "{\"v\":9}", "{\"v\":10}",
                "{\"command\":1}");
    }

    @Test
    void eventsHeldForASlowSnapshotAreBoundedByTheSendBuffer() {
        for (int i = 0; i < 10; i++) {
            session.push("0123456789", i); // 100 bytes held: the buffer is full, not over
        }
        assertThat(socket.closedWith).isNull();
        session.push("!", 11);

        assertThat(session.isClosed()).isTrue();
        senders.runAll(); // the close frame goes from a sender thread
        assertThat(socket.closedWith).isEqualTo(DeviceSession.SEND_BUFFER_OVERFLOW);
    }

    @Test
    void aSecondReleaseChangesNothing() {
        session.push("{\"v\":5}", 5);
        session.release(null, UserEvent.NO_VERSION);
        session.release("{\"snapshot\":9}", 9); // a late snapshot after giving up on it
        senders.runAll();

        assertThat(socket.texts()).containsExactly("{\"v\":5}");
    }

    @Test
    void withoutASnapshotEveryHeldEventIsSent() {
        session.push("{\"v\":5}", 5);
        session.release(null, UserEvent.NO_VERSION);
        senders.runAll();

        assertThat(socket.texts()).containsExactly("{\"v\":5}");
    }

    @Test
    void aDeviceThatReadsTooSlowlyIsClosedWhenItsBufferOverflowsButTheSnapshotDoesNotCount() {
        session.release("x".repeat(1_000), 1); // ten times the buffer: the snapshot is outside it
        assertThat(socket.closedWith).isNull();

        for (int i = 0; i < 10; i++) {
            session.reply("0123456789"); // 100 bytes: the buffer is full, not over
        }
        assertThat(socket.closedWith).isNull();
        session.reply("!");

        assertThat(session.isClosed()).isTrue();
        senders.runAll(); // the close frame goes from a sender thread
        assertThat(socket.closedWith).isEqualTo(DeviceSession.SEND_BUFFER_OVERFLOW);
    }

    @Test
    void onlyOneDrainRunsAtATimeAndItSendsInOrder() {
        session.release(null, UserEvent.NO_VERSION);
        session.reply("a");
        session.reply("b");
        session.reply("c");

        assertThat(senders.tasks).hasSize(1);
        senders.runAll();
        assertThat(socket.texts()).containsExactly("a", "b", "c");
    }

    @Test
    void replyAndCloseSendsTheFrameBeforeClosing() {
        session.release(null, UserEvent.NO_VERSION);
        session.replyAndClose("{\"error\":1}", DeviceSession.TOKEN_EXPIRED);
        assertThat(socket.closedWith).isNull();

        senders.runAll();

        assertThat(socket.texts()).containsExactly("{\"error\":1}");
        assertThat(socket.closedWith).isEqualTo(DeviceSession.TOKEN_EXPIRED);
        assertThat(session.isClosed()).isTrue();
    }

    @Test
    void aHeartbeatIsDueAtMostOncePerInterval() {
        assertThat(session.heartbeatDue(20_000)).isFalse();
        clock.addAndGet(20_000);
        assertThat(session.heartbeatDue(20_000)).isTrue();
        assertThat(session.heartbeatDue(20_000)).isFalse();
        clock.addAndGet(19_999);
        assertThat(session.heartbeatDue(20_000)).isFalse();
        clock.addAndGet(1);
        assertThat(session.heartbeatDue(20_000)).isTrue();
    }

    /** A device that reads nothing: writes start and never finish until the test says so. */
    private static class StuckSink implements FrameSink {
        final java.util.List<String> started = new java.util.ArrayList<>();
        final java.util.List<java.util.function.Consumer<Throwable>> pending = new java.util.ArrayList<>();
        CloseStatus closedWith;

        @Override
        public void send(String text, java.util.function.Consumer<Throwable> done) {
            started.add(text);
            pending.add(done);
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(CloseStatus status) {
            closedWith = status;
        }
    }

    private DeviceSession sessionOn(FrameSink sink) {
        return new DeviceSession(sink, new AuthenticatedDevice("alice", "stuck"), Instant.ofEpochMilli(10_000_000),
                "s2", senders, 100, new FrameAssembler(4096, 65536), clock::get);
    }

    @Test
    void aStuckDeviceHoldsNoThreadAndOthersKeepReceiving() {
        StuckSink stuck = new StuckSink();
        DeviceSession slow = sessionOn(stuck);
        slow.release(null, UserEvent.NO_VERSION);
        session.release(null, UserEvent.NO_VERSION);

        slow.reply("one");
        slow.reply("two");
        session.reply("a");
        senders.runAll(); // returns: the stuck write holds no thread
        session.reply("b");
        senders.runAll();

        assertThat(stuck.started).containsExactly("one");
        assertThat(socket.texts()).containsExactly("a", "b");

        stuck.pending.get(0).accept(null); // the device reads at last: the queue goes on from the callback
        assertThat(stuck.started).containsExactly("one", "two");
    }

    @Test
    void aWriteThatFailsOrTimesOutClosesOnlyItsConnection() {
        StuckSink stuck = new StuckSink();
        DeviceSession slow = sessionOn(stuck);
        slow.release(null, UserEvent.NO_VERSION);
        slow.reply("one");
        slow.reply("two");
        senders.runAll();

        stuck.pending.get(0).accept(new java.net.SocketTimeoutException("send timeout"));
        senders.runAll();

        assertThat(stuck.closedWith).isEqualTo(DeviceSession.SEND_FAILED);
        assertThat(stuck.started).containsExactly("one");
        assertThat(slow.isClosed()).isTrue();
    }

    @Test
    void aClosedSessionSendsNothingMore() {
        session.release(null, UserEvent.NO_VERSION);
        session.close(CloseStatus.NORMAL);
        session.reply("late");
        senders.runAll();

        assertThat(socket.texts()).isEmpty();
    }

    /** Tomcat's sink: a send only starts the write, so no sender thread is needed to call it. */
    private static final class StartingSink extends StuckSink {

        @Override
        public boolean blocks() {
            return false;
        }
    }

    @Test
    void aSinkThatOnlyStartsWritesIsDrainedOnTheCallersThreadInOrder() {
        StartingSink sink = new StartingSink();
        DeviceSession device = sessionOn(sink);
        device.release(null, UserEvent.NO_VERSION);

        device.reply("one");
        device.reply("two");
        assertThat(sink.started).containsExactly("one");
        assertThat(senders.tasks).isEmpty();

        sink.pending.get(0).accept(null); // the write ends: its callback goes on with the queue
        assertThat(sink.started).containsExactly("one", "two");
        assertThat(senders.tasks).isEmpty();
    }

    @Test
    void anOverflowClosesOnASenderThreadNeverOnTheThreadThatQueued() {
        StartingSink sink = new StartingSink();
        DeviceSession device = sessionOn(sink); // 100 bytes of send buffer
        device.release(null, UserEvent.NO_VERSION);

        device.reply("x".repeat(60));
        device.reply("y".repeat(60));
        device.reply("z".repeat(60)); // 120 bytes wait behind the stuck write

        assertThat(device.isClosed()).isTrue();
        assertThat(sink.closedWith).as("the close frame can block: not sent by the pushing thread").isNull();
        senders.runAll();
        assertThat(sink.closedWith).isEqualTo(DeviceSession.SEND_BUFFER_OVERFLOW);
        assertThat(sink.started).containsExactly("x".repeat(60));
    }
}
