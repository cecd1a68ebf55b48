package dev.mediasync.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mediasync.topics.Topics;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * This gateway's data key for each user it writes ops for. A user's first op here makes a new key; its
 * wrapped record is written to {@code sync.keys.v1} first, and ops sealed with it are written only once
 * the record is durable (in the order they came), so the processor always has the key before the op.
 * A key whose record failed is forgotten: the resent op gets a fresh one. Keys are never shared between
 * gateways, so none has to ask another.
 */
public final class UserKeys {

    private final Cache<String, UserKey> keys;
    private final KeyWrapper wrapper;
    private final Function<UserKey, CompletableFuture<Long>> writeRecord;

    /** @param writeRecord starts the write of a new key's record ({@link UserKey#recordKey()}, {@link UserKey#wrapped()}) */
    public UserKeys(KeyWrapper wrapper, int maxCachedKeys, Function<UserKey, CompletableFuture<Long>> writeRecord) {
        this.wrapper = wrapper;
        this.writeRecord = writeRecord;
        this.keys = Caffeine.newBuilder().maximumSize(maxCachedKeys).build();
    }

    /** The user's key; a new one's record is on its way (see {@link UserKey#whenDurable}). */
    public UserKey keyFor(String userId) {
        UserKey known = keys.getIfPresent(userId);
        if (known != null) {
            return known;
        }
        DataKey dataKey = DataKey.generate();
        UserKey fresh = new UserKey(userId, dataKey, Topics.keyRecordKey(userId, dataKey.id()),
                wrapper.wrap(userId, dataKey));
        UserKey winner = keys.asMap().putIfAbsent(userId, fresh);
        if (winner != null) {
            return winner;
        }
        writeRecord.apply(fresh).whenComplete((offset, failure) -> {
            if (failure != null) {
                keys.asMap().remove(userId, fresh); // the next op of the user makes a new key
            }
            fresh.recorded(failure);
        });
        return fresh;
    }

    /** Forgets the user's key (the user was erased): a later op of theirs makes a new one, which the processor refuses. */
    public void forget(String userId) {
        keys.invalidate(userId);
    }
}
