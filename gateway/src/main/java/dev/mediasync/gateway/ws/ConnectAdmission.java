package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.base.GatewayProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * How much of a reconnect storm (every device of a restarted gateway coming back at once) one gateway
 * takes in: at most {@code connect-rate-per-second} new connections per second, and none while
 * {@code max-pending-snapshots} connections wait for their snapshot. A connect beyond either is told when to come
 * back, instead of every connect slowing down together until they all time out.
 */
@Component
public class ConnectAdmission {

    /**
     * A refused device comes back after 1 to 2 s, spread at random: told to come back when the bucket
     * next has a token (a few ms), every refused device would return at once and be refused again.
     */
    static final long RETRY_MS = 1_000;

    private final Bucket connects;
    private final SnapshotDelivery snapshots;
    private final int maxPendingSnapshots;

    public ConnectAdmission(GatewayProperties properties, SnapshotDelivery snapshots) {
        int rate = properties.connectRatePerSecond();
        this.connects = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)).build())
                .build();
        this.snapshots = snapshots;
        this.maxPendingSnapshots = properties.maxPendingSnapshots();
    }

    /** @return 0 when the connection may go on, else the milliseconds after which to try again */
    public long admit() {
        if (snapshots.pending() < maxPendingSnapshots && connects.tryConsume(1)) {
            return 0;
        }
        return RETRY_MS + ThreadLocalRandom.current().nextLong(RETRY_MS);
    }
}
