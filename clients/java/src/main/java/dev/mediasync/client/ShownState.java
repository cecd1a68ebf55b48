package dev.mediasync.client;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The user's state as a client shows it: a snapshot, then events merged by version. An event at or below
 * the version shown for its entity (the snapshot's, or an earlier event's) is a repeat or older than what
 * is shown, and changes nothing. Not thread-safe: the client guards it.
 */
final class ShownState {

    /** One entity that changed: {@code value} is {@code null} when it was removed. */
    record Change(SyncClient.Kind kind, String id, JsonNode value, long version) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, SyncClient.Kind> KINDS = Map.of("watchlist_state", SyncClient.Kind.WATCHLIST,
            "progress_state", SyncClient.Kind.PROGRESS, "progress_removed", SyncClient.Kind.PROGRESS,
            "device_state", SyncClient.Kind.DEVICES, "device_removed", SyncClient.Kind.DEVICES);

    private final Map<SyncClient.Kind, Map<String, JsonNode>> maps = new EnumMap<>(SyncClient.Kind.class);
    /** "kind/id" → the version shown for that entity; the snapshot's version stands for the rest. */
    private final Map<String, Long> versions = new HashMap<>();
    private long snapshotVersion = -1;

    ShownState() {
        for (SyncClient.Kind kind : SyncClient.Kind.values()) {
            maps.put(kind, new LinkedHashMap<>());
        }
    }

    static boolean isEvent(String type) {
        return KINDS.containsKey(type);
    }

    Map<String, JsonNode> copy(SyncClient.Kind kind) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(maps.get(kind)));
    }

    JsonNode get(SyncClient.Kind kind, String id) {
        return maps.get(kind).get(id);
    }

    /** Replaces everything with a snapshot (or a stored document of the same shape); returns its version. */
    long replace(JsonNode snapshot) {
        snapshotVersion = snapshot.path("version").asLong(-1);
        versions.clear();
        fill(SyncClient.Kind.WATCHLIST, snapshot.path("watchlist"), "content_id");
        fill(SyncClient.Kind.PROGRESS, snapshot.path("progress"), "content_id");
        fill(SyncClient.Kind.DEVICES, snapshot.path("devices"), "device_id");
        return snapshotVersion;
    }

    /** Merges a state event; {@code null} when it changes nothing. */
    Change apply(String type, JsonNode event) {
        SyncClient.Kind kind = KINDS.get(type);
        String id = kind == SyncClient.Kind.DEVICES ? event.path("device_id").asString() : event.path("content_id").asString();
        String key = kind + "/" + id;
        long version = event.path("version").asLong(-1);
        long shown = versions.getOrDefault(key, snapshotVersion);
        if (version >= 0 && shown >= 0 && version <= shown) {
            return null;
        }
        if (version >= 0) {
            versions.put(key, version);
        }
        JsonNode value = switch (type) {
            case "watchlist_state" -> event.path("in_watchlist").asBoolean() ? JSON.createObjectNode()
                    .put("content_id", id).set("added_at", event.get("added_at")) : null;
            case "progress_state", "device_state" -> event;
            default -> null; // progress_removed, device_removed
        };
        if (value instanceof ObjectNode title && "watchlist_state".equals(type)) {
            title.set("tags", event.get("tags"));
        }
        if (value == null) {
            maps.get(kind).remove(id);
        } else {
            maps.get(kind).put(id, value);
        }
        return new Change(kind, id, value, version);
    }

    /**
     * The state as shown, for an app that starts offline. Its version is the lowest shown, so that after a
     * restart no event the shown state lacks is taken for a repeat.
     */
    String document() {
        ObjectNode document = JSON.createObjectNode().put("version", versions.values().stream()
                .mapToLong(Long::longValue).reduce(snapshotVersion, Math::min));
        maps.get(SyncClient.Kind.WATCHLIST).values().forEach(document.withArray("watchlist")::add);
        maps.get(SyncClient.Kind.PROGRESS).values().forEach(document.withArray("progress")::add);
        maps.get(SyncClient.Kind.DEVICES).values().forEach(document.withArray("devices")::add);
        return document.toString();
    }

    private void fill(SyncClient.Kind kind, JsonNode items, String idField) {
        Map<String, JsonNode> map = maps.get(kind);
        map.clear();
        items.forEach(item -> map.put(item.path(idField).asString(), item));
    }
}
