package dev.mediasync.trending;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code size} titles with the highest counts of one window, highest first, ties by content id.
 * Kept exact incrementally because a title's count in a window only grows: a title outside the list
 * last counted at most the list's lowest count, and comes back once it counts more.
 */
record TopList(List<Entry> entries) {

    record Entry(String contentId, long count) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::count).reversed()
            .thenComparing(Entry::contentId);

    static final TopList EMPTY = new TopList(List.of());

    TopList {
        entries = List.copyOf(entries);
    }

    /** This list after {@code contentId} counted {@code count}, keeping at most {@code size} titles. */
    TopList with(String contentId, long count, int size) {
        List<Entry> next = new ArrayList<>(entries.size() + 1);
        entries.stream().filter(e -> !e.contentId().equals(contentId)).forEach(next::add);
        next.add(new Entry(contentId, count));
        next.sort(ORDER);
        return new TopList(next.size() > size ? next.subList(0, size) : next);
    }

    /** One {@code <count> <content_id>} line per entry (the store's value). */
    byte[] encode() {
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.count()).append(' ').append(e.contentId()).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static TopList decode(byte[] bytes) {
        List<Entry> entries = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                entries.add(new Entry(line.substring(space + 1), Long.parseLong(line.substring(0, space))));
            }
        }
        return new TopList(entries);
    }
}
