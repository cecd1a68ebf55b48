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

/** The stored form of a watchlist entry: {@code {"tags":{"<tag>":"<hlc>",…},"removed_before":"<hlc>"}}. */
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
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static WatchlistEntry decode(byte[] bytes) {
        JsonNode root = MAPPER.readTree(bytes);
        Map<String, Hlc> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> tag : root.get("tags").properties()) {
            tags.put(tag.getKey(), Hlc.parse(tag.getValue().stringValue()));
        }
        return WatchlistEntry.of(tags, JsonFields.of(root).optionalHlc("removed_before"));
    }
}
