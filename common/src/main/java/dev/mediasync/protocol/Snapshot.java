package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Everything a device needs on connect: the watchlist (titles in it), progress of every title and the
 * user's devices. Nested items carry the fields of their state events, without {@code type}. {@code
 * version} is the user's event version the snapshot includes (see {@link UserEvent#version()}).
 */
public record Snapshot(Hlc timestamp, List<WatchlistItem> watchlist, List<ProgressState> progress,
                       List<DeviceState> devices, long version) implements ServerMessage {

    public static final String TYPE = "snapshot";

    public Snapshot {
        watchlist = List.copyOf(watchlist);
        progress = List.copyOf(progress);
        devices = List.copyOf(devices);
    }

    static Snapshot read(JsonFields f) {
        return new Snapshot(f.hlc("timestamp"), f.objects("watchlist", WatchlistItem::read),
                f.objects("progress", ProgressState::read), f.objects("devices", DeviceState::read),
                f.has("version") ? f.integer("version") : UserEvent.NO_VERSION);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("timestamp", timestamp.toString());
        g.writeNumberProperty("version", version);
        g.writeArrayPropertyStart("watchlist");
        for (WatchlistItem item : watchlist) {
            item.write(g);
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("progress");
        for (ProgressState state : progress) {
            nested(g, state);
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("devices");
        for (DeviceState device : devices) {
            nested(g, device);
        }
        g.writeEndArray();
    }

    private static void nested(JsonGenerator g, ServerMessage item) {
        g.writeStartObject();
        item.writeFields(g);
        g.writeEndObject();
    }
}
