package dev.mediasync.processor.store;

import dev.mediasync.clock.Hlc;
import dev.mediasync.protocol.JsonFields;
import dev.mediasync.watchlist.WatchlistEntry;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of a watchlist entry: {@code {"tags":{"<tag>":"<hlc>",…},"removed_before":"<hlc>",
 * "marks":{"<tag>":"<hlc>",…}}}. Entries stored before marks existed have none, which is what they meant.
 */
final class StoredWatchlist {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StoredWatchlist() {
    }

    static byte[] encode(WatchlistEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectPropertyStart("tags");
            for (Map.Entry<String, Hlc> tag : entry.tags().entrySet()) {
                g.writeStringProperty(tag.getKey(), tag.getValue().toString());
            }
            g.writeEndObject();
            if (entry.removedBefore() != null) {
                g.writeStringProperty("removed_before", entry.removedBefore().toString());
            }
            if (!entry.marks().isEmpty()) {
                g.writeObjectPropertyStart("marks");
                for (Map.Entry<String, Hlc> mark : entry.marks().entrySet()) {
                    g.writeStringProperty(mark.getKey(), mark.getValue().toString());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static WatchlistEntry decode(byte[] bytes) {
        JsonNode root = MAPPER.readTree(bytes);
        return WatchlistEntry.of(byTag(root.get("tags")), JsonFields.of(root).optionalHlc("removed_before"),
                root.has("marks") ? byTag(root.get("marks")) : Map.of());
    }

    private static Map<String, Hlc> byTag(JsonNode object) {
        Map<String, Hlc> byTag = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> tag : object.properties()) {
            byTag.put(tag.getKey(), Hlc.parse(tag.getValue().stringValue()));
        }
        return byTag;
    }
}
