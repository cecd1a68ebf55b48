package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** The resolved state of one title of the watchlist, with its live tags (sorted). */
public record WatchlistState(String contentId, boolean inWatchlist, List<String> tags, Hlc timestamp)
        implements ServerMessage {

    public static final String TYPE = "watchlist_state";

    public WatchlistState {
        tags = List.copyOf(tags);
    }

    public static WatchlistState of(String contentId, WatchlistEntry entry) {
        return new WatchlistState(contentId, entry.inWatchlist(), List.copyOf(entry.tags().keySet()),
                entry.timestamp());
    }

    static WatchlistState read(JsonFields f) {
        List<String> tags = f.optionalStrings("tags", Integer.MAX_VALUE);
        return new WatchlistState(f.string("content_id"), f.bool("in_watchlist"),
                tags == null ? List.of() : tags, f.hlc("timestamp"));
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
    }
}
