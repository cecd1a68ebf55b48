package dev.mediasync.protocol;

import java.util.Collection;
import tools.jackson.core.JsonGenerator;

/** Small helpers for the shapes the protocol writes more than once. */
final class JsonWriting {

    private static final double MAX_EXACT_LONG = 0x1p53;

    private JsonWriting() {
    }

    /** Whole seconds are written without a fraction ({@code 3245}, not {@code 3245.0}). */
    static void seconds(JsonGenerator g, String name, double seconds) {
        if (seconds == Math.rint(seconds) && Math.abs(seconds) < MAX_EXACT_LONG) {
            g.writeNumberProperty(name, (long) seconds);
        } else {
            g.writeNumberProperty(name, seconds);
        }
    }

    static void strings(JsonGenerator g, String name, Collection<String> values) {
        g.writeArrayPropertyStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    static void optionalString(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }
}
