package dev.mediasync.trending;

import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.UserErased;
import dev.mediasync.topics.Topics.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns state events into title signals, at most one per user, title and signal within the window: a
 * title a user adds counts once however many devices tag it, and a title they watch counts once however
 * many progress events it gets. The state topic may repeat an event (at-least-once) and carries every
 * change of a title, so a watchlist event counts only when its {@code added_at} lies within the window.
 * Output: key {@code <list>|<content_id>}, value the user id.
 */
final class TitleSignals implements Processor<String, byte[], String, String> {

    static final String SEEN_STORE = "trending-seen";
    private static final Logger log = LoggerFactory.getLogger(TitleSignals.class);

    private final MessageCodec codec;
    private final long windowMs;
    private ProcessorContext<String, String> context;
    private WindowStore<String, Long> seen;

    TitleSignals(MessageCodec codec, Duration window) {
        this.codec = codec;
        this.windowMs = window.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        seen = context.getStateStore(SEEN_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return; // a tombstone: a removal never makes a title trend
        }
        try {
            Kind kind = Topics.kindOfStateKey(record.key());
            if (kind == Kind.ACCOUNT && UserErased.isEncoded(record.value())) {
                forget(EventEnvelope.read(record.value(), record.headers()).userId());
                return;
            }
            Signal signal = Signal.of(kind);
            if (signal == null || (signal == Signal.ADDED && !recentlyAdded(record.value(), record.timestamp()))) {
                return; // any progress event is a watch: only watchlist events need their body read
            }
            String user = EventEnvelope.read(record.value(), record.headers()).userId();
            String content = Topics.entityOfStateKey(record.key());
            if (firstInWindow(signal.list() + '|' + user + '|' + content, record.timestamp())) {
                context.forward(record.withKey(signal.list() + '|' + content).withValue(user));
            }
        } catch (RuntimeException e) {
            // a record this consumer cannot read must not stop it: skip it, as a search index would
            log.warn("Skipping state record {} that is not a state event: {}", record.key(), e.toString());
        }
    }

    private boolean recentlyAdded(byte[] value, long at) {
        ServerMessage event = codec.decodeEvent(value).event();
        return event instanceof WatchlistState title && title.inWatchlist() && title.addedAt() != null
                && title.addedAt().physicalMs() > at - windowMs;
    }

    /** An erased user: which titles they added or watched is forgotten (the counts hold no user). */
    private void forget(String user) {
        List<KeyValue<Windowed<String>, Long>> theirs = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            String prefix = signal.list() + '|' + user + '|';
            try (KeyValueIterator<Windowed<String>, Long> seenOfUser = seen.fetch(prefix, prefix + Character.MAX_VALUE,
                    Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                seenOfUser.forEachRemaining(theirs::add);
            }
        }
        theirs.forEach(entry -> seen.put(entry.key.key(), null, entry.key.window().start()));
    }

    private boolean firstInWindow(String key, long at) {
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, Math.max(0, at - windowMs + 1), at)) {
            if (earlier.hasNext()) {
                return false;
            }
        }
        seen.put(key, at, at);
        return true;
    }
}
