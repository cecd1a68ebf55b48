package dev.mediasync.trending;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each list's top titles per window from the windowed counts (input key: the list) and, every
 * {@code publish-interval}, publishes the list of the trailing window, the oldest window that still
 * contains the latest event, when it changed. Windows before it are dropped.
 */
final class TopTitles implements Processor<String, TitleCount, String, byte[]> {

    static final String TOP_STORE = "trending-top";

    private final long windowMs;
    private final long advanceMs;
    private final int size;
    private final Duration publishInterval;
    /** The lists this task holds (each list is one key, so one task). */
    private final Set<Signal> held = EnumSet.noneOf(Signal.class);
    /** What it last published of each. */
    private final Map<Signal, TrendingList> published = new EnumMap<>(Signal.class);
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> tops;

    TopTitles(TrendingProperties properties) {
        this.windowMs = properties.window().toMillis();
        this.advanceMs = properties.advance().toMillis();
        this.size = properties.top();
        this.publishInterval = properties.publishInterval();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        tops = context.getStateStore(TOP_STORE);
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, now -> publish());
    }

    @Override
    public void process(Record<String, TitleCount> record) {
        Signal signal = Signal.ofList(record.key());
        TitleCount count = record.value();
        String key = key(signal, count.windowStart());
        byte[] stored = tops.get(key);
        TopList top = stored == null ? TopList.EMPTY : TopList.decode(stored);
        tops.put(key, top.with(count.contentId(), count.count(), size).encode());
        held.add(signal);
    }

    private void publish() {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime < 0) {
            return;
        }
        // windows start at multiples of advance; the trailing one is the first to end after the stream time
        long start = Math.max(0, (Math.floorDiv(streamTime - windowMs, advanceMs) + 1) * advanceMs);
        for (Signal signal : held) {
            byte[] stored = tops.get(key(signal, start));
            TrendingList list = TrendingList.of(signal, start, start + windowMs, context.currentSystemTimeMs(),
                    stored == null ? TopList.EMPTY : TopList.decode(stored));
            if (!list.sameAs(published.get(signal))) {
                context.forward(new Record<>(signal.list(), list.toJson(), streamTime));
                published.put(signal, list);
            }
            dropBefore(signal, start);
        }
    }

    private void dropBefore(Signal signal, long start) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> windows = tops.range(key(signal, 0), key(signal, start - 1))) {
            windows.forEachRemaining(entry -> old.add(entry.key));
        }
        old.forEach(tops::delete);
    }

    /** Zero-padded so the store's byte order is the windows' time order. */
    private static String key(Signal signal, long windowStart) {
        return String.format("%s|%019d", signal.list(), windowStart);
    }
}
