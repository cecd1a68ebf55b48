package dev.mediasync.protocol;

import dev.mediasync.error.SyncException;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Adds a title to the watchlist or removes it. A remove may name the tags its device observed; without
 * them it removes every add older than the op's timestamp.
 */
public record WatchlistUpdate(String opId, WatchlistOperation operation, String contentId, List<String> observedTags)
        implements ClientMessage {

    public static final String TYPE = "watchlist_update";
    public static final int MAX_OBSERVED_TAGS = 64;

    public WatchlistUpdate {
        Ids.opId(opId, "op_id");
        if (operation == null) {
            throw SyncException.badRequest("operation is required");
        }
        Ids.contentId(contentId, "content_id");
        if (observedTags != null) {
            if (operation == WatchlistOperation.ADD) {
                throw SyncException.badRequest("observed_tags is only allowed with operation remove");
            }
            if (observedTags.isEmpty()) {
                throw SyncException.badRequest("observed_tags must not be empty; omit it to remove by timestamp");
            }
            observedTags = List.copyOf(observedTags);
        }
    }

    static WatchlistUpdate read(JsonFields f) {
        return new WatchlistUpdate(f.string("op_id"), f.enumValue("operation", WatchlistOperation.class),
                f.string("content_id"), f.optionalStrings("observed_tags", MAX_OBSERVED_TAGS));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("operation", WireEnum.wire(operation));
        g.writeStringProperty("content_id", contentId);
        if (observedTags != null) {
            JsonWriting.strings(g, "observed_tags", observedTags);
        }
    }
}
