package dev.mediasync.topics;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** How a reader of {@code sync.state.v1} gets the event of a record, the one rule for every reader. */
public final class StateRecords {

    private StateRecords() {
    }

    /**
     * The event a record carries: its value, or for a tombstone (a title out of the watchlist, a removed
     * progress title, a forgotten device) the event in its {@link Topics#HEADER_EVENT} header; {@code null}
     * for a tombstone without one (compaction's own).
     */
    public static byte[] event(byte[] value, Headers headers) {
        if (value != null) {
            return value;
        }
        Header event = headers.lastHeader(Topics.HEADER_EVENT);
        return event == null ? null : event.value();
    }
}
