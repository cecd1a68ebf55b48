package dev.mediasync.clock;

import dev.mediasync.error.SyncException;

/**
 * A hybrid logical clock timestamp: 48 bits of physical time (ms since the Unix epoch) and a 16-bit
 * logical counter packed into one {@code long}, so ordering is a single unsigned comparison: by physical
 * time, then by counter.
 *
 * <p>Wire form: {@code "<physical_ms>:<logical>"}, decimal without signs, spaces or leading zeros, e.g.
 * {@code "1764197000123:0"}; {@link #parse} accepts exactly what {@link #toString} produces.
 */
public final class Hlc implements Comparable<Hlc> {

    public static final int LOGICAL_BITS = 16;
    public static final int MAX_LOGICAL = (1 << LOGICAL_BITS) - 1;
    public static final long MAX_PHYSICAL = (1L << (Long.SIZE - LOGICAL_BITS)) - 1;
    public static final Hlc MIN = new Hlc(0);

    private static final int MAX_PHYSICAL_DIGITS = Long.toString(MAX_PHYSICAL).length();
    private static final int MAX_LOGICAL_DIGITS = Integer.toString(MAX_LOGICAL).length();

    private final long packed;

    private Hlc(long packed) {
        this.packed = packed;
    }

    public static Hlc of(long physicalMs, int logical) {
        if (physicalMs < 0 || physicalMs > MAX_PHYSICAL) {
            throw new IllegalArgumentException("physical time out of range: " + physicalMs);
        }
        if (logical < 0 || logical > MAX_LOGICAL) {
            throw new IllegalArgumentException("logical counter out of range: " + logical);
        }
        return new Hlc(physicalMs << LOGICAL_BITS | logical);
    }

    /** The timestamp with the given packed 64-bit representation (see {@link #packed()}). */
    public static Hlc fromPacked(long packed) {
        return new Hlc(packed);
    }

    /**
     * Parses the wire form strictly.
     *
     * @param field the field name used in the error message
     * @throws SyncException {@code bad_request} naming {@code field} when the text is not a timestamp
     */
    public static Hlc parse(String text, String field) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw invalid(field, text);
        }
        long physical = parseDecimal(text, 0, colon, MAX_PHYSICAL_DIGITS, field);
        long logical = parseDecimal(text, colon + 1, text.length(), MAX_LOGICAL_DIGITS, field);
        if (physical > MAX_PHYSICAL || logical > MAX_LOGICAL) {
            throw SyncException.badRequest(field + " is out of range: physical ≤ " + MAX_PHYSICAL
                    + " ms and logical ≤ " + MAX_LOGICAL);
        }
        return of(physical, (int) logical);
    }

    public static Hlc parse(String text) {
        return parse(text, "timestamp");
    }

    private static long parseDecimal(String text, int from, int to, int maxDigits, String field) {
        int length = to - from;
        if (length < 1 || length > maxDigits || (length > 1 && text.charAt(from) == '0')) {
            throw invalid(field, text);
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(field, text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static SyncException invalid(String field, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return SyncException.badRequest(field + " must be \"<physical_ms>:<logical>\", got \"" + shown + "\"");
    }

    public long physicalMs() {
        return packed >>> LOGICAL_BITS;
    }

    public int logical() {
        return (int) (packed & MAX_LOGICAL);
    }

    public long packed() {
        return packed;
    }

    /** The smallest timestamp after this one (the counter's overflow carries into the physical part). */
    public Hlc successor() {
        if (packed == -1L) {
            throw new IllegalStateException("no timestamp after " + this);
        }
        return new Hlc(packed + 1);
    }

    public boolean isAfter(Hlc other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Hlc other) {
        return compareTo(other) < 0;
    }

    public static Hlc max(Hlc a, Hlc b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(Hlc other) {
        return Long.compareUnsigned(packed, other.packed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hlc other && other.packed == packed;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(packed);
    }

    /** The wire form. */
    @Override
    public String toString() {
        return physicalMs() + ":" + logical();
    }
}
