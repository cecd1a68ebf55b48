package dev.mediasync.trending;

import dev.mediasync.protocol.MessageCodec;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;

/**
 * State events → one signal per user, title and window ({@link TitleSignals}, partitioned by user as
 * the state topic is) → counts per title in hopping windows (repartitioned by title) → each list's top
 * titles per window ({@link TopTitles}, one task per list) → {@code sync.trending.v1}.
 */
final class TrendingTopology {

    private TrendingTopology() {
    }

    static void build(StreamsBuilder builder, TrendingProperties properties) {
        MessageCodec codec = new MessageCodec();
        Duration window = properties.window();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(TitleSignals.SEEN_STORE, window.plus(properties.grace()),
                        Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopTitles.TOP_STORE),
                Serdes.String(), Serdes.ByteArray()));

        builder.stream(properties.topics().state(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("state-events"))
                .process(() -> new TitleSignals(codec, window), Named.as("title-signals"), TitleSignals.SEEN_STORE)
                .groupByKey(Grouped.with("signals", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, properties.grace()).advanceBy(properties.advance()))
                .count(Named.as("title-counts"), Materialized.as("trending-counts"))
                .toStream(Named.as("count-changes"))
                .filter((title, count) -> count != null, Named.as("counted"))
                .map(TrendingTopology::byList, Named.as("by-list"))
                .repartition(Repartitioned.with(Serdes.String(), TitleCount.SERDE).withName("list-counts"))
                .process(() -> new TopTitles(properties), Named.as("top-titles"), TopTitles.TOP_STORE)
                .to(properties.topic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("trending"));
    }

    /** {@code <list>|<content_id>} in a window → the list, with the title's count in that window. */
    private static KeyValue<String, TitleCount> byList(Windowed<String> title, Long count) {
        String key = title.key();
        int bar = key.indexOf('|');
        return KeyValue.pair(key.substring(0, bar),
                new TitleCount(key.substring(bar + 1), title.window().start(), count));
    }
}
