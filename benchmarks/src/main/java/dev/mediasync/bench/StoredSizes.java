package dev.mediasync.bench;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Prints the bytes a typical record takes in Kafka: key and value, then the record batch as the broker
 * stores it (v2 batch, 61-byte header included) holding 1 record, and holding 100 similar records per
 * record (different users, devices, titles, random UUID op ids), uncompressed and with the producer's
 * zstd and lz4 compression.
 */
public final class StoredSizes {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final Random RANDOM = new Random(42);
    private static final String[] DEVICES = {"living-room-tv", "iphone-15", "chrome-macbook", "ipad-kids"};

    public static void main(String[] args) {
        System.out.printf("%-44s %4s %6s %8s %9s %9s %9s%n", "record", "key", "value", "batch=1",
                "none/100", "zstd/100", "lz4/100");
        print("sync.ops.v1 progress_update (PROTOCOL.md)", i -> op("alice", "tv-1", "a" + i, i));
        print("sync.ops.v1 progress_update (UUID op id)",
                i -> op("user-" + Integer.toHexString(RANDOM.nextInt()), DEVICES[i % DEVICES.length],
                        UUID.randomUUID().toString(), i));
        print("sync.ops.v1 watchlist_update (UUID op id)", i -> {
            String user = "user-" + Integer.toHexString(RANDOM.nextInt());
            Op op = new Op(user, DEVICES[i % DEVICES.length], Samples.NOW, Samples.RECEIVED_AT, new WatchlistUpdate(
                    UUID.randomUUID().toString(), WatchlistOperation.ADD, "tmdb:" + RANDOM.nextInt(100_000), null));
            return new SimpleRecord(op.receivedAt(), user.getBytes(StandardCharsets.UTF_8), CODEC.encodeOp(op));
        });
        print("sync.state.v1 progress_state", i -> {
            String user = "user-" + Integer.toHexString(RANDOM.nextInt());
            String content = "tmdb:" + RANDOM.nextInt(100_000);
            UserEvent event = UserEvent.toAll(user, ProgressState.of(content, new LwwRegister<>(
                    new PlaybackPosition(RANDOM.nextInt(8217), 8217, PlaybackState.PAUSED), Samples.NOW,
                    DEVICES[i % DEVICES.length], UUID.randomUUID().toString())));
            return new SimpleRecord(Samples.NOW.physicalMs(),
                    Topics.stateKey(user, Topics.Kind.PROGRESS, content).getBytes(StandardCharsets.UTF_8),
                    CODEC.encodeEvent(event));
        });
    }

    private static SimpleRecord op(String user, String device, String opId, int i) {
        Op op = new Op(user, device, Hlc.of(Samples.NOW.physicalMs() + i * 1000L, 0), Samples.RECEIVED_AT + i * 1000L,
                new ProgressUpdate(opId, "tmdb:" + RANDOM.nextInt(100_000),
                        new PlaybackPosition(RANDOM.nextInt(8217), 8217, PlaybackState.PLAYING)));
        return new SimpleRecord(op.receivedAt(), user.getBytes(StandardCharsets.UTF_8), CODEC.encodeOp(op));
    }

    private static void print(String name, IntFunction<SimpleRecord> record) {
        SimpleRecord first = record.apply(0);
        System.out.printf("%-44s %4d %6d %8d %9d %9d %9d%n", name, first.key().remaining(), first.value().remaining(),
                MemoryRecords.withRecords(Compression.NONE, first).sizeInBytes(),
                perRecord(Compression.NONE, record), perRecord(Compression.zstd().build(), record),
                perRecord(Compression.lz4().build(), record));
    }

    private static int perRecord(Compression compression, IntFunction<SimpleRecord> record) {
        SimpleRecord[] records = new SimpleRecord[100];
        for (int i = 0; i < records.length; i++) {
            records[i] = record.apply(i);
        }
        return MemoryRecords.withRecords(compression, records).sizeInBytes() / records.length;
    }

    private StoredSizes() {
    }
}
