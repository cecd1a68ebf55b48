package dev.mediasync.trending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.contract.ContractSchemas;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics;
import dev.mediasync.topics.Topics.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrendingTopologyTest {

    private static final long T0 = 1_764_197_000_000L;

    private final MessageCodec codec = new MessageCodec();
    private final TrendingProperties properties = TrendingProperties.of(Duration.ofHours(1), Duration.ofMinutes(5), 3);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> state;
    private TestOutputTopic<String, byte[]> trending;

    @BeforeEach
    void start(@TempDir Path dir) {
        StreamsBuilder builder = new StreamsBuilder();
        TrendingTopology.build(builder, properties);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "trending-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        driver = new TopologyTestDriver(builder.build(), config, Instant.ofEpochMilli(T0));
        state = driver.createInputTopic(Topics.STATE, new StringSerializer(), new ByteArraySerializer());
        trending = driver.createOutputTopic(Topics.TRENDING, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void ranksTitlesByHowManyUsersAddedThemCountingEachUserOnce() {
        add("u1", "tmdb:1", T0);
        add("u2", "tmdb:1", T0 + 1_000);
        add("u3", "tmdb:1", T0 + 2_000);
        add("u1", "tmdb:2", T0 + 3_000);
        add("u2", "tmdb:2", T0 + 4_000);
        add("u4", "tmdb:4", T0 + 5_000);
        add("u5", "tmdb:3", T0 + 6_000);
        // the same add seen again (a repeat after a crash) and a second device tagging it: still one user
        add("u1", "tmdb:1", T0);
        send("u1", Kind.WATCHLIST, "tmdb:1", new WatchlistState("tmdb:1", true, List.of("tv/1", "phone/2"),
                Hlc.of(T0 + 7_000, 0), Hlc.of(T0, 0)), T0 + 7_000);

        assertThat(publish()).containsEntry("most_added", "tmdb:1=3 tmdb:2=2 tmdb:3=1");
    }

    @Test
    void countsEachUserWatchingATitleOnceHoweverManyProgressEventsItGets() {
        for (int i = 0; i < 5; i++) {
            watch("u1", "tmdb:9", T0 + i * 10_000L);
        }
        watch("u2", "tmdb:9", T0 + 60_000);
        watch("u2", "tmdb:8", T0 + 61_000);

        assertThat(publish()).containsEntry("most_watched", "tmdb:9=2 tmdb:8=1");
    }

    @Test
    void removalsOldAddsTombstonesAndUnreadableRecordsCountForNothingAndStopNothing() {
        send("u1", Kind.WATCHLIST, "tmdb:1", new WatchlistState("tmdb:1", false, List.of(), Hlc.of(T0, 0)), T0);
        // a title added two hours before this event (another device's tag changed it): not trending now
        send("u2", Kind.WATCHLIST, "tmdb:1", new WatchlistState("tmdb:1", true, List.of("tv/1"),
                Hlc.of(T0, 0), Hlc.of(T0 - 7_200_000, 0)), T0);
        state.pipeInput(new TestRecord<>(Topics.stateKey("u3", Kind.PROGRESS, "tmdb:1"), null, null, T0));
        state.pipeInput(new TestRecord<>(Topics.stateKey("u4", Kind.WATCHLIST, "tmdb:1"),
                "{not json".getBytes(StandardCharsets.UTF_8), null, T0));
        state.pipeInput(new TestRecord<>("no-separators", "{}".getBytes(StandardCharsets.UTF_8), null, T0));
        add("u5", "tmdb:2", T0 + 1_000);

        assertThat(publish()).containsExactly(Map.entry("most_added", "tmdb:2=1"));
    }

    @Test
    void theWindowSlidesAndAnUnchangedListIsNotPublishedAgain() {
        add("u1", "tmdb:old", T0);
        add("u2", "tmdb:old", T0);
        assertThat(publish()).containsEntry("most_added", "tmdb:old=2");
        assertThat(publish()).isEmpty();

        add("u3", "tmdb:new", T0 + Duration.ofMinutes(70).toMillis());

        assertThat(publish()).containsEntry("most_added", "tmdb:new=1");
    }

    @Test
    void publishedListsConformToTheContract() {
        add("u1", "tmdb:1", T0);
        watch("u1", "tmdb:1", T0);
        driver.advanceWallClockTime(properties.publishInterval());

        List<TestRecord<String, byte[]>> records = trending.readRecordsToList();
        assertThat(records).hasSize(2);
        for (TestRecord<String, byte[]> record : records) {
            String json = new String(record.value(), StandardCharsets.UTF_8);
            ContractSchemas.assertConforms("TrendingRecord", json);
            TrendingList list = TrendingList.fromJson(record.value());
            assertThat(list.list()).isEqualTo(record.key());
            assertThat(list.windowEnd() - list.windowStart()).isEqualTo(Duration.ofHours(1).toMillis());
            assertThat(list.windowStart()).isLessThanOrEqualTo(T0).isGreaterThan(T0 - Duration.ofHours(1).toMillis());
        }
    }

    /** Lets the publish interval pass; each list published, as {@code content=count ...}. */
    private Map<String, String> publish() {
        driver.advanceWallClockTime(properties.publishInterval());
        Map<String, String> lists = new HashMap<>();
        for (TestRecord<String, byte[]> record : trending.readRecordsToList()) {
            TrendingList list = TrendingList.fromJson(record.value());
            lists.put(record.key(), String.join(" ", list.titles().stream()
                    .map(t -> t.contentId() + "=" + t.count()).toList()));
        }
        return lists;
    }

    @Test
    void anErasedUserIsForgottenWhichTitlesTheyAddedOrWatched() {
        add("eve", "tmdb:1", T0);
        watch("eve", "tmdb:2", T0 + 1_000);
        add("bob", "tmdb:1", T0 + 2_000);
        assertThat(seenOf("eve")).containsExactly("most_added|eve|tmdb:1", "most_watched|eve|tmdb:2");

        send("eve", Kind.ACCOUNT, "erased", new dev.mediasync.protocol.UserErased(Hlc.of(T0 + 3_000, 0)), T0 + 3_000);

        assertThat(seenOf("eve")).isEmpty();
        assertThat(seenOf("bob")).containsExactly("most_added|bob|tmdb:1");
    }

    /** The keys of the user's entries in the store of who added or watched what. */
    private List<String> seenOf(String user) {
        List<String> keys = new java.util.ArrayList<>();
        try (var all = driver.<String, Long>getWindowStore(TitleSignals.SEEN_STORE).all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.key().contains("|" + user + "|")) {
                    keys.add(entry.key.key());
                }
            });
        }
        return keys.stream().sorted().toList();
    }

    private void add(String user, String content, long at) {
        send(user, Kind.WATCHLIST, content, new WatchlistState(content, true, List.of("tv/" + at),
                Hlc.of(at, 0), Hlc.of(at, 0)), at);
    }

    private void watch(String user, String content, long at) {
        send(user, Kind.PROGRESS, content, new ProgressState(content,
                new PlaybackPosition((at - T0) / 1000.0, 7200, PlaybackState.PLAYING), "tv", "op-" + at,
                Hlc.of(at, 0)), at);
    }

    private void send(String user, Kind kind, String entity, ServerMessage event, long at) {
        state.pipeInput(new TestRecord<>(Topics.stateKey(user, kind, entity),
                codec.encodeEvent(UserEvent.toAll(user, event)), null, at));
    }
}
