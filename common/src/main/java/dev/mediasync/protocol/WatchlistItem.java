package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** A title in a snapshot's watchlist: when it was first added (among live adds) and its live tags. */
public record WatchlistItem(String contentId, Hlc addedAt, List<String> tags) {

    public WatchlistItem {
        tags = List.copyOf(tags);
    }

    public static WatchlistItem of(String contentId, WatchlistEntry entry) {
        return new WatchlistItem(contentId, entry.addedAt(), List.copyOf(entry.tags().keySet()));
    }

    static WatchlistItem read(JsonFields f) {
        List<String> tags = f.optionalStrings("tags", Integer.MAX_VALUE);
        return new WatchlistItem(f.string("content_id"), f.hlc("added_at"), tags == null ? List.of() : tags);
    }

    void write(JsonGenerator g) {
        g.writeStartObject();
        g.writeStringProperty("content_id", contentId);
        g.writeStringProperty("added_at", addedAt.toString());
        JsonWriting.strings(g, "tags", tags);
        g.writeEndObject();
    }
}
