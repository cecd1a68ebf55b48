package dev.mediasync.trending;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** How many signals one title has in the window starting at {@code windowStart}; internal topic value. */
record TitleCount(String contentId, long windowStart, long count) {

    /** {@code <window_start> <count> <content_id>}: content ids hold no spaces, so the id is the rest. */
    static final Serde<TitleCount> SERDE = Serdes.serdeFrom(
            (topic, value) -> (value.windowStart + " " + value.count + " " + value.contentId).getBytes(StandardCharsets.UTF_8),
            (topic, bytes) -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                int first = text.indexOf(' ');
                int second = text.indexOf(' ', first + 1);
                return new TitleCount(text.substring(second + 1), Long.parseLong(text.substring(0, first)),
                        Long.parseLong(text.substring(first + 1, second)));
            });
}
