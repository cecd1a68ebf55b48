package dev.mediasync.watchlist;

import dev.mediasync.clock.Hlc;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A user's whole watchlist: one {@link WatchlistEntry} per title, the entry holding the merge rules.
 * The processor stores entries one by one; this view is what a replica holding the whole set (a device,
 * a test, a replay tool) works with. Titles whose entry becomes void are dropped, so the size follows
 * the titles, not the ops. Immutable.
 */
public final class OrSet {

    private static final OrSet EMPTY = new OrSet(Collections.emptyNavigableMap());

    private final NavigableMap<String, WatchlistEntry> entries;

    private OrSet(NavigableMap<String, WatchlistEntry> entries) {
        this.entries = entries;
    }

    public static OrSet empty() {
        return EMPTY;
    }

    /** A set of these entries (void ones are left out). */
    public static OrSet of(Map<String, WatchlistEntry> entries) {
        TreeMap<String, WatchlistEntry> kept = new TreeMap<>(entries);
        kept.values().removeIf(WatchlistEntry::isVoid);
        return kept.isEmpty() ? EMPTY : new OrSet(Collections.unmodifiableNavigableMap(kept));
    }

    public OrSet add(String contentId, String tag, Hlc addedAt) {
        return update(contentId, entry -> entry.add(tag, addedAt));
    }

    public OrSet removeTags(String contentId, Collection<String> observedTags) {
        return update(contentId, entry -> entry.removeTags(observedTags));
    }

    public OrSet removeBefore(String contentId, Hlc removedAt) {
        return update(contentId, entry -> entry.removeBefore(removedAt));
    }

    public boolean contains(String contentId) {
        return entry(contentId).inWatchlist();
    }

    public WatchlistEntry entry(String contentId) {
        return entries.getOrDefault(contentId, WatchlistEntry.empty());
    }

    /** Every stored entry, including titles kept only for their remove watermark or marks. */
    public NavigableMap<String, WatchlistEntry> entries() {
        return entries;
    }

    private OrSet update(String contentId, UnaryOperator<WatchlistEntry> change) {
        WatchlistEntry before = entry(contentId);
        WatchlistEntry after = change.apply(before);
        if (after == before) {
            return this;
        }
        TreeMap<String, WatchlistEntry> next = new TreeMap<>(entries);
        if (after.isVoid()) {
            next.remove(contentId);
        } else {
            next.put(contentId, after);
        }
        return new OrSet(Collections.unmodifiableNavigableMap(next));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrSet other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "OrSet" + entries;
    }
}
