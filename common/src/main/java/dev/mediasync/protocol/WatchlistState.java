package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** The resolved state of one title of the watchlist, with its live tags (sorted). */
public record WatchlistState(String contentId, boolean inWatchlist, List<String> tags, Hlc timestamp, Hlc addedAt)
        implements ServerMessage {

    public static final String TYPE = "watchlist_state";

    public WatchlistState {
        tags = List.copyOf(tags);
    }

    /** A state without {@code added_at} (a title not in the watchlist, or a test's). */
    public WatchlistState(String contentId, boolean inWatchlist, List<String> tags, Hlc timestamp) {
        this(contentId, inWatchlist, tags, timestamp, null);
    }

    /**
     * @param changedAt the timestamp of the op that brought the entry here: the state's time when the entry
     *     itself keeps none (a remove by observed tags leaves neither tags nor a watermark)
     */
    public static WatchlistState of(String contentId, WatchlistEntry entry, Hlc changedAt) {
        Hlc timestamp = entry.timestamp().equals(Hlc.MIN) ? changedAt : entry.timestamp();
        return new WatchlistState(contentId, entry.inWatchlist(), List.copyOf(entry.tags().keySet()), timestamp,
                entry.addedAt());
    }

    static WatchlistState read(JsonFields f) {
        List<String> tags = f.optionalStrings("tags", Integer.MAX_VALUE);
        return new WatchlistState(f.string("content_id"), f.bool("in_watchlist"),
                tags == null ? List.of() : tags, f.hlc("timestamp"), f.optionalHlc("added_at"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("content_id", contentId);
        g.writeBooleanProperty("in_watchlist", inWatchlist);
        JsonWriting.strings(g, "tags", tags);
        g.writeStringProperty("timestamp", timestamp.toString());
        if (addedAt != null) {
            g.writeStringProperty("added_at", addedAt.toString());
        }
    }
}
