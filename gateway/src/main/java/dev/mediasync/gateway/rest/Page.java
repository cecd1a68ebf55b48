package dev.mediasync.gateway.rest;

import dev.mediasync.error.SyncException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of a REST list: the items whose id field sorts after {@code cursor}, at most {@code limit} of
 * them, and the cursor of the next page ({@code next_cursor}, the last id returned) when more follow.
 * Snapshot lists are sorted by id, so a cursor stays valid while items are added or removed.
 */
record Page(String cursor, int limit) {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1000;

    static Page of(String cursor, Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw SyncException.badRequest("limit must be 1–" + MAX_LIMIT);
        }
        return new Page(cursor == null || cursor.isEmpty() ? null : cursor, size);
    }

    /** Puts this page of {@code items} under {@code name} in {@code answer}, and {@code next_cursor} if due. */
    void write(ObjectNode answer, String name, JsonNode items, String idField) {
        ArrayNode page = answer.putArray(name);
        for (JsonNode item : items) {
            String id = item.get(idField).stringValue();
            if (cursor != null && id.compareTo(cursor) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                answer.put("next_cursor", page.get(page.size() - 1).get(idField).stringValue());
                return;
            }
            page.add(item);
        }
    }
}
