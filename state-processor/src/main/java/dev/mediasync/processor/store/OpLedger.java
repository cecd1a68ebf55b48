package dev.mediasync.processor.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The op ids each device sent within the dedup window. An op whose id is here was applied before: it is
 * a client's resend, or the processor re-reading the log after a crash (the store's changelog is ahead
 * of the committed offsets). Either way it must not be applied again, but its entity's current state is
 * emitted again so that nothing is lost.
 *
 * <p>One small entry per op in a window store, which drops whole segments once they fall out of the
 * window: an op costs one point write of about 100 bytes, whatever the number of ids remembered. Each
 * entry is filed under the start of its half-window bucket, so that a lookup is a point read in each
 * bucket the window overlaps (three, bloom filters answering most) rather than a range scan opening an
 * iterator in every segment: that scan was a fifth of the processor's time per op.
 */
public final class OpLedger {

    /** Not {@code sync-op-ledger}: that was a key-value store, and its changelog cannot restore this one. */
    public static final String NAME = "sync-op-ids";

    private final WindowStore<String, Long> store;
    private final long windowMs;
    private final long aheadMs;
    private final long bucketMs;

    /**
     * @param window how long an op id is remembered, in the ops' {@code received_at}
     * @param ahead how far a resend's {@code received_at} may be behind its original's (gateways' clocks
     *              disagreeing) and still be recognised
     */
    public OpLedger(WindowStore<String, Long> store, Duration window, Duration ahead) {
        this.store = store;
        this.windowMs = window.toMillis();
        this.aheadMs = ahead.toMillis();
        this.bucketMs = bucketMs(window);
    }

    /**
     * How long the store must keep its segments: a lookup's oldest bucket starts up to a bucket before the
     * window, and the store's time may already be {@code ahead} of the op.
     */
    public static Duration retention(Duration window, Duration ahead) {
        return window.plusMillis(bucketMs(window)).plus(ahead);
    }

    /**
     * Records the op id, received by a gateway at {@code receivedAt} (the log's time, the same in a
     * replay); returns {@code false} when the device sent it before, within the window.
     */
    public boolean firstSight(String userId, String deviceId, String opId, long receivedAt) {
        String key = key(userId, deviceId, opId);
        long from = receivedAt - windowMs;
        long to = receivedAt + aheadMs;
        for (long bucket = bucketOf(Math.max(0, from)); bucket <= bucketOf(to); bucket += bucketMs) {
            Long earlier = store.fetch(key, bucket);
            if (earlier != null && earlier >= from && earlier <= to) {
                return false;
            }
        }
        store.put(key, receivedAt, bucketOf(receivedAt));
        return true;
    }

    private long bucketOf(long time) {
        return time - Math.floorMod(time, bucketMs);
    }

    private static long bucketMs(Duration window) {
        return Math.max(1, window.toMillis() / 2);
    }

    /**
     * A digest of the device and op id: the ledger's changelog then holds no device id, so an erased
     * user's devices leave nothing readable there (the entries expire with the window).
     */
    private static String key(String userId, String deviceId, String opId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((userId + '\u0000' + deviceId + '\u0000' + opId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
