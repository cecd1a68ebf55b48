package dev.mediasync.gateway.ws;

import java.nio.charset.StandardCharsets;

/**
 * Joins the parts of one text frame (the container hands over large frames in parts) and keeps at most
 * the frame limit: beyond it the frame is only counted, so an oversized frame costs no memory. A frame
 * that grows past the close limit is reported at once, before its end: no sync message is that long, and
 * reading on would let one connection stream without end. Used by one connection's reading thread at a
 * time.
 */
final class FrameAssembler {

    /** What became of a frame: passed on, refused ({@code too_large}), or the connection is to close (1009). */
    enum Verdict { ACCEPTED, OVERSIZED, CLOSE }

    /** A complete frame with its text, or only its size when it was over a limit. */
    record Frame(String text, long bytes, Verdict verdict) {

        static Frame accepted(String text, long bytes) {
            return new Frame(text, bytes, Verdict.ACCEPTED);
        }
    }

    private final int maxBytes;
    private final long closeBytes;
    private StringBuilder parts;
    private long bytes;

    /**
     * @param maxBytes larger frames are refused
     * @param closeBytes a frame that grows past this closes the connection (at least {@code maxBytes})
     */
    FrameAssembler(int maxBytes, long closeBytes) {
        if (closeBytes < maxBytes) {
            throw new IllegalArgumentException("the close limit " + closeBytes + " is below the frame limit " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.closeBytes = closeBytes;
    }

    /** Adds a part; returns the frame when {@code last} or past the close limit, else {@code null}. */
    Frame add(String part, boolean last) {
        long size = part.getBytes(StandardCharsets.UTF_8).length;
        if (last && parts == null) {
            return size <= maxBytes ? Frame.accepted(part, size) : new Frame(null, size, verdictFor(size));
        }
        bytes += size;
        if (bytes > closeBytes) {
            parts = null;
            return new Frame(null, bytes, Verdict.CLOSE);
        }
        if (bytes <= maxBytes) {
            (parts == null ? parts = new StringBuilder() : parts).append(part);
        } else {
            parts = new StringBuilder(0); // over the limit: stop keeping it
        }
        if (!last) {
            return null;
        }
        Frame frame = bytes <= maxBytes ? Frame.accepted(parts.toString(), bytes) : new Frame(null, bytes, Verdict.OVERSIZED);
        parts = null;
        bytes = 0;
        return frame;
    }

    private Verdict verdictFor(long size) {
        return size > closeBytes ? Verdict.CLOSE : Verdict.OVERSIZED;
    }
}
