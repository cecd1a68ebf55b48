package dev.mediasync.trending;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A value of {@code sync.trending.v1} (and of PubNub's {@code global.trending}): one list's titles in the
 * window {@code [window_start, window_end)}, highest count first. See {@code TrendingRecord} in the
 * contract's schema.
 */
record TrendingList(String type, String list, long windowStart, long windowEnd, long generatedAt,
                    List<Title> titles) {

    static final String TYPE = "trending";

    /** A title and how many users added (or watched) it in the window. */
    record Title(String contentId, long count) {
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    TrendingList {
        titles = List.copyOf(titles);
    }

    static TrendingList of(Signal signal, long windowStart, long windowEnd, long generatedAt, TopList top) {
        return new TrendingList(TYPE, signal.list(), windowStart, windowEnd, generatedAt,
                top.entries().stream().map(e -> new Title(e.contentId(), e.count())).toList());
    }

    /** Whether it lists the same titles and counts for the same window (the time it was made aside). */
    boolean sameAs(TrendingList other) {
        return other != null && list.equals(other.list) && windowStart == other.windowStart
                && titles.equals(other.titles);
    }

    byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    static TrendingList fromJson(byte[] json) {
        return JSON.readValue(json, TrendingList.class);
    }
}
