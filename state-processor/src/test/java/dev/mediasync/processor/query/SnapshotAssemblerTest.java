package dev.mediasync.processor.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.topology.ProcessorMetrics;
import dev.mediasync.processor.topology.SyncTopology;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotAssemblerTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void readsOneUsersWatchlistProgressAndDevicesAndNothingOfUsersWhoseIdExtendsIt(@TempDir Path dir) {
        ProcessorProperties properties = ProcessorProperties.defaults();
        Properties config = SyncTopology.streamsConfig(properties, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                SyncTopology.build(properties, new ProcessorMetrics(new SimpleMeterRegistry())), config)) {
            TestInputTopic<String, byte[]> ops = driver.createInputTopic(properties.topics().ops(),
                    new StringSerializer(), new ByteArraySerializer());
            send(ops, "alice", 1, new DevicePresence(PresenceEvent.CONNECT, "s1"));
            send(ops, "alice", 2, new WatchlistUpdate("a1", WatchlistOperation.ADD, "tmdb:550", null));
            send(ops, "alice", 3, new WatchlistUpdate("a2", WatchlistOperation.ADD, "tmdb:603", null));
            send(ops, "alice", 4, new WatchlistUpdate("a3", WatchlistOperation.REMOVE, "tmdb:603", null));
            send(ops, "alice", 5, new ProgressUpdate("p1", "tmdb:550",
                    new PlaybackPosition(10, 100, PlaybackState.PLAYING)));
            send(ops, "alice|x", 9, new WatchlistUpdate("z", WatchlistOperation.ADD, "tmdb:1", null));

            Snapshot snapshot = new SnapshotAssembler(codec).read(driver.getKeyValueStore(EntityStore.NAME), "alice",
                    42);

            assertThat(snapshot.watchlist()).containsExactly(
                    new WatchlistItem("tmdb:550", Hlc.of(2, 0), java.util.List.of("tv-1/a1")));
            assertThat(snapshot.progress()).singleElement().satisfies(p -> assertThat(p.opId()).isEqualTo("p1"));
            assertThat(snapshot.devices()).singleElement().satisfies(d -> assertThat(d.online()).isTrue());
            assertThat(snapshot.timestamp()).isEqualTo(Hlc.of(5, 0));
        }
    }

    private void send(TestInputTopic<String, byte[]> ops, String user, long ms, OpBody body) {
        ops.pipeInput(user, codec.encodeOp(new Op(user, "tv-1", Hlc.of(ms, 0), ms, body)));
    }
}
