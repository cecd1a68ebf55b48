package dev.mediasync.loadgen;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One simulated device: a WebSocket connection (opened by a {@link Connector}) that hands every received
 * frame to a handler. Frames are not parsed into trees: the load generator only looks for a few markers.
 */
final class Device {

    /** How a device's frames leave: one send at a time, in order. */
    interface Transport {
        /** Sends after the previous send completed; the future fails when this frame could not be sent. */
        CompletableFuture<?> send(String json);

        void close();
    }

    final String user;
    final String id;
    private final BiConsumer<Device, String> onFrame;
    private final CompletableFuture<Long> snapshotAt = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Transport transport;

    Device(String user, String id, BiConsumer<Device, String> onFrame) {
        this.user = user;
        this.id = id;
        this.onFrame = onFrame;
    }

    /** Called by the connector once the upgrade succeeded; the future completes with the snapshot. */
    CompletableFuture<Device> opened(Transport transport) {
        this.transport = transport;
        return snapshotAt.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).thenApply(at -> this);
    }

    CompletableFuture<?> send(String json) {
        return transport.send(json);
    }

    void close() {
        Transport t = transport;
        if (t != null) {
            t.close();
        }
    }

    /** A part of a text frame, as the client delivers it. */
    void onText(CharSequence data, boolean last) {
        String frame;
        if (partial.length() == 0 && last) {
            frame = data.toString();
        } else {
            partial.append(data);
            if (!last) {
                return;
            }
            frame = partial.toString();
            partial.setLength(0);
        }
        if (!snapshotAt.isDone() && frame.startsWith("{\"type\":\"snapshot\"")) {
            snapshotAt.complete(System.nanoTime());
        } else if (!snapshotAt.isDone() && frame.startsWith("{\"type\":\"error\"")) {
            snapshotAt.completeExceptionally(new IllegalStateException("refused before the snapshot: " + frame));
        } else {
            onFrame.accept(this, frame);
        }
    }

    void onFailure(Throwable error) {
        snapshotAt.completeExceptionally(error);
    }
}
