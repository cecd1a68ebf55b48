package dev.mediasync.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.CommandType;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.query.SnapshotAssembler;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.DeviceCommandRequest;
import dev.mediasync.protocol.DeviceHandoff;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.DeviceRemove;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver around the real topology, with builders for ops as the gateway writes them. */
final class TopologyFixture implements AutoCloseable {

    static final String USER = "alice";
    static final long START = 1_764_197_000_000L;

    final ProcessorProperties properties;
    final MessageCodec codec = new MessageCodec();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> ops;
    final TestOutputTopic<String, byte[]> state;
    final TestOutputTopic<String, byte[]> commands;
    final TestOutputTopic<String, byte[]> deadLetters;
    final TestOutputTopic<String, byte[]> deliveries;
    final TestInputTopic<String, byte[]> keysIn;
    final TestOutputTopic<String, byte[]> keysOut;
    private final TestOutputTopic<String, byte[]> opsOut;

    TopologyFixture(Path stateDir) {
        this(stateDir, ProcessorProperties.defaults());
    }

    TopologyFixture(Path stateDir, ProcessorProperties properties) {
        this.properties = properties;
        Properties config = SyncTopology.streamsConfig(properties, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(SyncTopology.build(properties, new ProcessorMetrics(new SimpleMeterRegistry())),
                config, Instant.ofEpochMilli(START));
        ops = driver.createInputTopic(properties.topics().ops(), new StringSerializer(), new ByteArraySerializer());
        state = driver.createOutputTopic(properties.topics().state(), new StringDeserializer(),
                new ByteArrayDeserializer());
        commands = driver.createOutputTopic(properties.topics().commands(), new StringDeserializer(),
                new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(properties.topics().deadLetter(), new StringDeserializer(),
                new ByteArrayDeserializer());
        deliveries = driver.createOutputTopic(properties.topics().deliveries(), new StringDeserializer(),
                new ByteArrayDeserializer());
        opsOut = driver.createOutputTopic(properties.topics().ops(), new StringDeserializer(),
                new ByteArrayDeserializer());
        keysIn = driver.createInputTopic(properties.topics().keys(), new StringSerializer(), new ByteArraySerializer());
        keysOut = driver.createOutputTopic(properties.topics().keys(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Ops the topology wrote into the op log itself (presence timeouts). */
    List<TestRecord<String, byte[]>> opsWritten() {
        return opsOut.readRecordsToList();
    }

    /** Sends an op stamped at {@code START + ms}, received at the same time. */
    void send(String device, long ms, OpBody body) {
        send(USER, device, Hlc.of(START + ms, 0), START + ms, body);
    }

    void send(String user, String device, Hlc timestamp, long receivedAt, OpBody body) {
        ops.pipeInput(user, codec.encodeOp(new Op(user, device, timestamp, receivedAt, body)));
    }

    /** Sends an op as the gateway with delivery slot {@code slot} writes it. */
    void sendVia(int slot, String user, String device, long ms, OpBody body) {
        ops.pipeInput(user, codec.encodeOp(new Op(user, device, Hlc.of(START + ms, 0), START + ms, body, slot)));
    }

    static WatchlistUpdate add(String opId, String content) {
        return new WatchlistUpdate(opId, WatchlistOperation.ADD, content, null);
    }

    static WatchlistUpdate remove(String opId, String content, List<String> observedTags) {
        return new WatchlistUpdate(opId, WatchlistOperation.REMOVE, content, observedTags);
    }

    static ProgressUpdate progress(String opId, String content, double position) {
        return new ProgressUpdate(opId, content, new PlaybackPosition(position, 8217, PlaybackState.PAUSED));
    }

    static DevicePresence presence(PresenceEvent event, String session) {
        return new DevicePresence(event, session);
    }

    static DeviceRegister register(String name, Platform platform) {
        return new DeviceRegister(null, name, platform, List.of("4k"));
    }

    static ProgressRemove removeProgress(String opId, String content) {
        return new ProgressRemove(opId, content);
    }

    static DeviceRemove removeDevice(String opId, String target) {
        return new DeviceRemove(opId, target);
    }

    /** The user's snapshot as the query API would assemble it from the store. */
    Snapshot snapshot(String userId) {
        return new SnapshotAssembler(codec).read(driver.getKeyValueStore(EntityStore.NAME), userId, -1);
    }

    static DeviceCommandRequest command(String opId, String target, CommandType command, Double position) {
        return new DeviceCommandRequest(opId, target, command, "tmdb:550", position);
    }

    static DeviceHandoff handoff(String opId, String target, String content) {
        return new DeviceHandoff(opId, target, content);
    }

    /** Decoded events of every state record emitted so far. */
    List<UserEvent> stateEvents() {
        return state.readRecordsToList().stream().map(r -> codec.decodeEvent(r.value() != null ? r.value()
                : r.headers().lastHeader(Topics.HEADER_EVENT).value())).toList();
    }

    List<TestRecord<String, byte[]>> stateRecords() {
        return state.readRecordsToList();
    }

    List<UserEvent> commandEvents() {
        return commands.readRecordsToList().stream().map(r -> codec.decodeEvent(r.value())).toList();
    }

    /** Drops what the setup of a test emitted so far (each of those records is the subject of its own test). */
    void settle() {
        state.readRecordsToList();
        commands.readRecordsToList();
        opsOut.readRecordsToList();
        deliveries.readRecordsToList();
    }

    /** Fails when a test left an emitted record unread: each test accounts for everything the topology wrote. */
    void assertNothingElseEmitted() {
        assertThat(state.readRecordsToList()).as("state records not accounted for").isEmpty();
        assertThat(commands.readRecordsToList()).as("commands not accounted for").isEmpty();
        assertThat(opsOut.readRecordsToList()).as("ops written and not accounted for").isEmpty();
        assertThat(deadLetters.readRecordsToList()).as("dead letters not accounted for").isEmpty();
        assertThat(deliveries.readRecordsToList()).as("deliveries not accounted for").isEmpty();
        assertThat(keysOut.readRecordsToList()).as("key records not accounted for").isEmpty();
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        driver.close();
    }
}
