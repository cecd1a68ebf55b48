package dev.mediasync.processor.query;

import dev.mediasync.clock.Hlc;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.StoreKeys;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.topics.Topics;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Builds a user's snapshot from one prefix scan of the entity store. Its timestamp is the newest
 * timestamp of anything in it, so a state event is newer than the snapshot exactly when it must follow.
 */
public final class SnapshotAssembler {

    private final MessageCodec codec;

    public SnapshotAssembler(MessageCodec codec) {
        this.codec = codec;
    }

    /** @param version the user's event version read before the store (see {@code PartitionVersions}) */
    public Snapshot read(ReadOnlyKeyValueStore<String, byte[]> store, String userId, long version) {
        List<WatchlistItem> watchlist = new ArrayList<>();
        List<ProgressState> progress = new ArrayList<>();
        List<DeviceState> devices = new ArrayList<>();
        Hlc newest = Hlc.MIN;
        try (KeyValueIterator<String, byte[]> entries =
                     store.prefixScan(StoreKeys.userPrefix(userId), new StringSerializer())) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                if (!StoreKeys.belongsTo(entry.key, userId)) {
                    continue;
                }
                Topics.Kind kind = Topics.kindOfStateKey(entry.key);
                String entityId = Topics.entityOfStateKey(entry.key);
                if (kind == Topics.Kind.WATCHLIST) {
                    WatchlistEntry title = EntityStore.decodeWatchlist(entry.value);
                    newest = Hlc.max(newest, title.timestamp());
                    if (title.inWatchlist()) {
                        watchlist.add(WatchlistItem.of(entityId, title));
                    }
                } else if (EntityStore.isRemoval(entry.value)) {
                    continue; // a removed title or forgotten device, kept only to decide late ops
                } else if (kind == Topics.Kind.PROGRESS) {
                    ProgressState state = (ProgressState) codec.decodeServer(entry.value);
                    newest = Hlc.max(newest, state.timestamp());
                    progress.add(state);
                } else {
                    DeviceState state = (DeviceState) codec.decodeServer(entry.value);
                    newest = Hlc.max(newest, state.timestamp());
                    devices.add(state);
                }
            }
        }
        return new Snapshot(newest, watchlist, progress, devices, version);
    }
}
