package dev.mediasync.processor.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The op ids each device sent within the dedup window. An op whose id is here was applied before: it is
 * a client's resend, or the processor re-reading the log after a crash (the store's changelog is ahead
 * of the committed offsets). Either way it must not be applied again, but its entity's current state is
 * emitted again so that nothing is lost.
 *
 * <p>One small entry per op in a window store, which drops whole segments once they fall out of the
 * window: an op costs one point write of about 100 bytes, whatever the number of ids remembered.
 */
public final class OpLedger {

    /** Not {@code sync-op-ledger}: that was a key-value store, and its changelog cannot restore this one. */
    public static final String NAME = "sync-op-ids";

    private final WindowStore<String, Long> store;
    private final long windowMs;

    public OpLedger(WindowStore<String, Long> store, Duration window) {
        this.store = store;
        this.windowMs = window.toMillis();
    }

    /**
     * Records the op id, received by a gateway at {@code receivedAt} (the log's time, the same in a
     * replay); returns {@code false} when the device sent it before, within the window.
     */
    public boolean firstSight(String userId, String deviceId, String opId, long receivedAt) {
        String key = key(userId, deviceId, opId);
        try (WindowStoreIterator<Long> earlier = store.fetch(key, Math.max(0, receivedAt - windowMs), receivedAt + windowMs)) {
            if (earlier.hasNext()) {
                return false;
            }
        }
        store.put(key, receivedAt, receivedAt);
        return true;
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
