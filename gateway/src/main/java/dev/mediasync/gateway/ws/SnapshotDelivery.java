package dev.mediasync.gateway.ws;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Gets a new connection its snapshot. With routed delivery the device's events reach this gateway only
 * from its connect op on, so the snapshot must be read after the processor applied that op: it is read
 * once the op log has the op, and read again shortly while its version is below the op's offset. While
 * the processor cannot answer (restarting, partitions moving) the read is retried with back-off and
 * jitter, the session holding its events meanwhile; when no read succeeds within {@code
 * snapshot-retry-for}, or the connect op cannot be written, the device gets {@code unavailable} and
 * close code 1013 (try again later) so that it reconnects: never a silently partial view.
 */
@Component
public class SnapshotDelivery {

    static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "no snapshot: reconnect");

    private static final Logger log = LoggerFactory.getLogger(SnapshotDelivery.class);
    private static final long FIRST_RETRY_MS = 250;
    private static final long MAX_RETRY_MS = 4_000;
    /** The processor is behind the connect op: it usually applies it within milliseconds. */
    private static final long FIRST_CATCH_UP_MS = 5;
    private static final long MAX_CATCH_UP_MS = 200;

    private final SnapshotClient snapshots;
    private final MessageCodec codec;
    private final long retryForNanos;
    private final long catchUpForNanos;
    private final EdgeTimer timer;
    /** Connections waiting for their snapshot, from their connect on (see {@link ConnectAdmission}). */
    private final AtomicInteger pending = new AtomicInteger();

    public SnapshotDelivery(SnapshotClient snapshots, MessageCodec codec, GatewayProperties properties,
                            EdgeTimer timer) {
        this.snapshots = snapshots;
        this.codec = codec;
        this.retryForNanos = properties.snapshotRetryFor().toNanos();
        // waiting for the processor to apply the connect is part of the read, not a failure to retry
        this.catchUpForNanos = properties.snapshotTimeout().toNanos();
        this.timer = timer;
    }

    /** Connections waiting for their snapshot now. */
    public int pending() {
        return pending.get();
    }

    /**
     * @param routedFrom completes with the offset of the device's connect op once the log has it: the
     *     snapshot must show at least that version; {@code -1} when events do not depend on it (broadcast)
     */
    void deliver(DeviceSession session, CompletableFuture<Long> routedFrom) {
        pending.incrementAndGet();
        long now = System.nanoTime();
        Deadlines deadlines = new Deadlines(now + retryForNanos, now + catchUpForNanos);
        routedFrom.whenComplete((offset, error) -> {
            if (error != null) {
                giveUp(session, 0, "the connect could not be written to the op log: " + error.getMessage());
            } else {
                attempt(session, 0, 0, deadlines, offset);
            }
        });
    }

    /** Until when failed reads are retried, and until when reads behind the connect are. */
    private record Deadlines(long failing, long behind) {
    }

    private void attempt(DeviceSession session, int failures, int behind, Deadlines deadlines, long minVersion) {
        if (session.isClosed()) {
            pending.decrementAndGet();
            return;
        }
        snapshots.read(session.device().userId()).whenComplete((snapshot, error) -> {
            if (error == null && snapshot.version() >= minVersion) {
                pending.decrementAndGet();
                session.release(snapshot.json(), snapshot.version());
                return;
            }
            long delayMs = error == null ? Math.min(MAX_CATCH_UP_MS, FIRST_CATCH_UP_MS << Math.min(behind, 8))
                    : Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failures, 8));
            delayMs += ThreadLocalRandom.current().nextLong(delayMs / 2 + 1);
            long deadline = error == null ? deadlines.behind() : deadlines.failing();
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) > deadline) {
                giveUp(session, failures + behind + 1, error != null ? error.getMessage()
                        : "the processor has not applied the connect yet (version " + snapshot.version() + " < " + minVersion + ")");
                return;
            }
            timer.schedule(() -> attempt(session, error == null ? failures : failures + 1,
                    error == null ? behind + 1 : behind, deadlines, minVersion), delayMs);
        });
    }

    private void giveUp(DeviceSession session, int reads, String why) {
        pending.decrementAndGet();
        log.warn("No snapshot for {} of user {} after {} reads; asking it to reconnect: {}",
                session.device().deviceId(), session.device().userId(), reads, why);
        session.discardHeld();
        session.replyAndClose(codec.encode(new ErrorMessage(null, ErrorCode.UNAVAILABLE, "the snapshot could "
                + "not be read (the state processor is unavailable); reconnect in a few seconds")), TRY_AGAIN_LATER);
    }
}
