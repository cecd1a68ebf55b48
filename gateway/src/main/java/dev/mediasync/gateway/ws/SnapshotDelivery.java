package dev.mediasync.gateway.ws;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Gets a new connection its snapshot. While the processor cannot answer (restarting, partitions moving)
 * the read is retried with back-off and jitter, the session holding its events meanwhile; when no read
 * succeeds within {@code snapshot-retry-for}, the device gets {@code unavailable} and close code 1013
 * (try again later) so that it reconnects: never a silently partial view.
 */
@Component
public class SnapshotDelivery {

    static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "no snapshot: reconnect");

    private static final Logger log = LoggerFactory.getLogger(SnapshotDelivery.class);
    private static final long FIRST_RETRY_MS = 250;
    private static final long MAX_RETRY_MS = 4_000;

    private final SnapshotClient snapshots;
    private final MessageCodec codec;
    private final long retryForNanos;
    private final EdgeTimer timer;

    public SnapshotDelivery(SnapshotClient snapshots, MessageCodec codec, GatewayProperties properties,
                            EdgeTimer timer) {
        this.snapshots = snapshots;
        this.codec = codec;
        this.retryForNanos = properties.snapshotRetryFor().toNanos();
        this.timer = timer;
    }

    void deliver(DeviceSession session) {
        attempt(session, 0, System.nanoTime() + retryForNanos);
    }

    private void attempt(DeviceSession session, int attempt, long deadline) {
        if (session.isClosed()) {
            return;
        }
        snapshots.read(session.device().userId()).whenComplete((snapshot, error) -> {
            if (error == null) {
                session.release(snapshot.json(), snapshot.version());
                return;
            }
            long delayMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(attempt, 8));
            delayMs += ThreadLocalRandom.current().nextLong(delayMs / 2 + 1);
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) > deadline) {
                log.warn("No snapshot for {} of user {} after {} reads; asking it to reconnect: {}",
                        session.device().deviceId(), session.device().userId(), attempt + 1, error.getMessage());
                session.discardHeld();
                session.replyAndClose(codec.encode(new ErrorMessage(null, ErrorCode.UNAVAILABLE, "the snapshot could "
                        + "not be read (the state processor is unavailable); reconnect in a few seconds")), TRY_AGAIN_LATER);
                return;
            }
            timer.schedule(() -> attempt(session, attempt + 1, deadline), delayMs);
        });
    }
}
