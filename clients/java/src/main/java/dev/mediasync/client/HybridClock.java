package dev.mediasync.client;

import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hybrid logical clock timestamps, {@code "<physical_ms>:<logical>"} (docs/protocol.md, Timestamps): every
 * timestamp it makes is after every one it made or observed, so an edit made offline keeps the moment the
 * user acted and still orders after what the device saw.
 */
public final class HybridClock {

    private static final Pattern FORM = Pattern.compile("(\\d{1,15}):(\\d{1,5})");
    private static final int MAX_LOGICAL = 65_535;

    private final LongSupplier wallClock;
    private long physical;
    private int logical;

    public HybridClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
    }

    /** A timestamp after every one this clock made or observed. */
    public synchronized String now() {
        long wall = wallClock.getAsLong();
        if (wall > physical) {
            physical = wall;
            logical = 0;
        } else if (logical < MAX_LOGICAL) {
            logical++;
        } else {
            physical++;
            logical = 0;
        }
        return physical + ":" + logical;
    }

    /** Moves the clock past a timestamp seen from the server (an ack, an event); ignores what is not one. */
    public synchronized void observe(String timestamp) {
        long[] seen = parse(timestamp);
        if (seen != null && (seen[0] > physical || seen[0] == physical && seen[1] > logical)) {
            physical = seen[0];
            logical = (int) seen[1];
        }
    }

    /** The latest timestamp made or observed, for storage ({@code "0:0"} at first). */
    public synchronized String last() {
        return physical + ":" + logical;
    }

    /** {physical, logical}, or {@code null} for anything but the wire form. */
    static long[] parse(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        Matcher matcher = FORM.matcher(timestamp);
        if (!matcher.matches()) {
            return null;
        }
        long logical = Long.parseLong(matcher.group(2));
        return logical > MAX_LOGICAL ? null : new long[] {Long.parseLong(matcher.group(1)), logical};
    }
}
