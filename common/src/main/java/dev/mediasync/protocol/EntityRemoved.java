package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.topics.Topics.Kind;
import tools.jackson.core.JsonGenerator;

/**
 * An entity that no longer exists: {@code progress_removed} (a title left "continue watching") or
 * {@code device_removed} (a device was forgotten). In {@code sync.state.v1} the entity's key then holds a
 * tombstone (null value), which compaction drops; this event rides along in the record's
 * {@code sync.event} header, and is what devices receive.
 */
public record EntityRemoved(Kind kind, String entityId, Hlc timestamp) implements ServerMessage {

    public static final String PROGRESS_TYPE = "progress_removed";
    public static final String DEVICE_TYPE = "device_removed";

    public EntityRemoved {
        if (kind == Kind.WATCHLIST) {
            throw new IllegalArgumentException("watchlist titles are removed through watchlist_state");
        }
        if (kind == Kind.PROGRESS) {
            Ids.contentId(entityId, "content_id");
        } else {
            Ids.deviceId(entityId, "device_id");
        }
    }

    static EntityRemoved readProgress(JsonFields f) {
        return new EntityRemoved(Kind.PROGRESS, f.string("content_id"), f.hlc("timestamp"));
    }

    static EntityRemoved readDevice(JsonFields f) {
        return new EntityRemoved(Kind.DEVICE, f.string("device_id"), f.hlc("timestamp"));
    }

    @Override
    public String type() {
        return kind == Kind.PROGRESS ? PROGRESS_TYPE : DEVICE_TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty(kind == Kind.PROGRESS ? "content_id" : "device_id", entityId);
        g.writeStringProperty("timestamp", timestamp.toString());
    }
}
