package dev.mediasync.watchlist;

import dev.mediasync.clock.Hlc;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One title of an add-wins observed-remove set (Shapiro et al., 2011, §3.3.5), kept small.
 *
 * <p>Each add contributes a tag with its timestamp; the title is in the set while it has a live tag. A
 * device's add supersedes that device's own earlier tags of the title: a device's ops are applied in the
 * order it sent them, so it has observed its own earlier adds, and its latest add alone speaks for it.
 * A title therefore holds at most one tag per device, however many ops were sent. A remove either names
 * the tags its device observed (they are deleted, so a concurrent add with a tag the remover never saw
 * survives) or, without tags, deletes every tag added before the remove's timestamp. Instead of a
 * tombstone per deleted tag the entry keeps one watermark, the highest tagless remove timestamp: an add
 * below it is already removed, whenever it arrives (it still supersedes its device's earlier tags, so
 * the order in which the watermark and the add arrive does not matter). An add at exactly the watermark
 * survives (add wins). Removing by named tags relies on the causal delivery the op log gives: a device
 * can only name tags that were applied before its remove. Superseding relies on resends being
 * recognised (the processor's op-id ledger): an earlier add delivered again after a later one would
 * otherwise supersede it.
 *
 * <p>Immutable; tags are sorted so equal entries serialise to equal bytes.
 */
public final class WatchlistEntry {

    private static final WatchlistEntry EMPTY = new WatchlistEntry(Collections.emptyNavigableMap(), null);

    private final NavigableMap<String, Hlc> tags;
    private final Hlc removedBefore;

    private WatchlistEntry(NavigableMap<String, Hlc> tags, Hlc removedBefore) {
        this.tags = tags;
        this.removedBefore = removedBefore;
    }

    public static WatchlistEntry empty() {
        return EMPTY;
    }

    /** Rebuilds an entry from stored state. */
    public static WatchlistEntry of(Map<String, Hlc> tags, Hlc removedBefore) {
        return new WatchlistEntry(Collections.unmodifiableNavigableMap(new TreeMap<>(tags)), removedBefore);
    }

    /**
     * Adds {@code tag}, superseding the earlier tags of its device; below the watermark the tag is not
     * kept, but it still supersedes. A tag already here changes nothing.
     */
    public WatchlistEntry add(String tag, Hlc addedAt) {
        if (tags.containsKey(tag)) {
            return this;
        }
        boolean kept = removedBefore == null || !addedAt.isBefore(removedBefore);
        NavigableMap<String, Hlc> superseded = tagsOf(Tag.deviceOf(tag));
        if (!kept && superseded.isEmpty()) {
            return this;
        }
        TreeMap<String, Hlc> next = new TreeMap<>(tags);
        next.keySet().removeAll(superseded.keySet());
        if (kept) {
            next.put(tag, addedAt);
        }
        return new WatchlistEntry(Collections.unmodifiableNavigableMap(next), removedBefore);
    }

    /** The live tags added by {@code deviceId}: at most one. */
    public NavigableMap<String, Hlc> tagsOf(String deviceId) {
        // tags sort by device first; '0' is the character after '/'
        return tags.subMap(deviceId + '/', true, deviceId + '0', false);
    }

    /** Deletes the named tags; names this entry does not hold are ignored. */
    public WatchlistEntry removeTags(Collection<String> observed) {
        TreeMap<String, Hlc> next = new TreeMap<>(tags);
        if (!next.keySet().removeAll(observed)) {
            return this;
        }
        return new WatchlistEntry(Collections.unmodifiableNavigableMap(next), removedBefore);
    }

    /** Deletes every tag added before {@code removedAt} and raises the watermark to it. */
    public WatchlistEntry removeBefore(Hlc removedAt) {
        if (removedBefore != null && !removedAt.isAfter(removedBefore)) {
            return this;
        }
        TreeMap<String, Hlc> next = new TreeMap<>(tags);
        next.values().removeIf(addedAt -> addedAt.isBefore(removedAt));
        return new WatchlistEntry(Collections.unmodifiableNavigableMap(next), removedAt);
    }

    /**
     * Drops a watermark older than {@code oldestAccepted}: every op it could still remove is older than
     * the retention horizon and refused as stale anyway.
     */
    public WatchlistEntry forgetWatermarkBefore(Hlc oldestAccepted) {
        if (removedBefore == null || !removedBefore.isBefore(oldestAccepted)) {
            return this;
        }
        return new WatchlistEntry(tags, null);
    }

    public boolean inWatchlist() {
        return !tags.isEmpty();
    }

    /** True when the entry holds nothing worth storing. */
    public boolean isVoid() {
        return tags.isEmpty() && removedBefore == null;
    }

    /** Live tags and their add timestamps, sorted by tag. */
    public NavigableMap<String, Hlc> tags() {
        return tags;
    }

    /** The remove watermark, or {@code null} when no tagless remove is remembered. */
    public Hlc removedBefore() {
        return removedBefore;
    }

    /** When the title was first added among its live tags, or {@code null} when not in the watchlist. */
    public Hlc addedAt() {
        return tags.values().stream().min(Hlc::compareTo).orElse(null);
    }

    /** The latest timestamp that shaped this entry: its newest tag or its watermark. */
    public Hlc timestamp() {
        Hlc latest = removedBefore == null ? Hlc.MIN : removedBefore;
        for (Hlc addedAt : tags.values()) {
            latest = Hlc.max(latest, addedAt);
        }
        return latest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatchlistEntry other && tags.equals(other.tags)
                && Objects.equals(removedBefore, other.removedBefore);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tags, removedBefore);
    }

    @Override
    public String toString() {
        return "WatchlistEntry{tags=" + tags + ", removedBefore=" + removedBefore + '}';
    }
}
