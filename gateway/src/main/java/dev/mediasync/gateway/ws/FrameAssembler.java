package dev.mediasync.gateway.ws;

import java.nio.charset.StandardCharsets;

/**
 * Joins the parts of one text frame (the container hands over large frames in parts) and keeps at most
 * the frame limit: beyond it the frame is only counted, so an oversized frame costs no memory. Used by
 * one connection's reading thread at a time.
 */
final class FrameAssembler {

    /** A complete frame: its text, or only its size when it was over the limit. */
    record Frame(String text, long bytes, boolean oversized) {
    }

    private final int maxBytes;
    private StringBuilder parts;
    private long bytes;

    FrameAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds a part; returns the frame when {@code last}, else {@code null}. */
    Frame add(String part, boolean last) {
        long size = part.getBytes(StandardCharsets.UTF_8).length;
        if (last && parts == null) {
            return new Frame(size > maxBytes ? null : part, size, size > maxBytes);
        }
        bytes += size;
        if (bytes <= maxBytes) {
            (parts == null ? parts = new StringBuilder() : parts).append(part);
        } else {
            parts = new StringBuilder(0); // over the limit: stop keeping it
        }
        if (!last) {
            return null;
        }
        Frame frame = new Frame(bytes > maxBytes ? null : parts.toString(), bytes, bytes > maxBytes);
        parts = null;
        bytes = 0;
        return frame;
    }
}
