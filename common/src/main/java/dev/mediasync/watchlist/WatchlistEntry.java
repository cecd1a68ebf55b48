package dev.mediasync.watchlist;

import dev.mediasync.clock.Hlc;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One title of an add-wins observed-remove set (Shapiro et al., 2011, §3.3.5), kept small, whose state is
 * a function of the set of ops it received, not of their order or repetition.
 *
 * <p>Each add contributes a tag with its timestamp. <b>A device's latest add speaks for it</b>: of a
 * device's adds of a title, the one with the greatest (timestamp, tag) supersedes the others, whichever
 * arrives first and however often; so a title holds at most one tag per device. That add is live unless
 * a remove deleted it: a remove either names the tags its device observed (a concurrent add with a tag the
 * remover never saw survives), or, without tags, deletes every tag added before the remove's timestamp.
 * Instead of a tombstone per deleted tag the entry keeps one watermark, the highest tagless remove
 * timestamp: an add below it is removed whenever it arrives; an add at exactly the watermark survives
 * (add wins). A device whose latest add was deleted by name keeps that add as a <i>mark</i>, so that
 * none of its earlier adds, arriving late or again, comes back; marks below the watermark are dropped
 * (the watermark already does their work). Removing by named tags relies on the causal delivery the op
 * log gives: a device can only name tags that were applied before its remove.
 *
 * <p>Immutable; tags and marks are sorted so equal entries serialise to equal bytes.
 */
public final class WatchlistEntry {

    private static final WatchlistEntry EMPTY = new WatchlistEntry(Collections.emptyNavigableMap(), null,
            Collections.emptyNavigableMap());

    private final NavigableMap<String, Hlc> tags;
    private final Hlc removedBefore;
    private final NavigableMap<String, Hlc> marks;

    private WatchlistEntry(NavigableMap<String, Hlc> tags, Hlc removedBefore, NavigableMap<String, Hlc> marks) {
        this.tags = tags;
        this.removedBefore = removedBefore;
        this.marks = marks;
    }

    public static WatchlistEntry empty() {
        return EMPTY;
    }

    /** Rebuilds an entry from stored state (entries stored before marks existed have none). */
    public static WatchlistEntry of(Map<String, Hlc> tags, Hlc removedBefore, Map<String, Hlc> marks) {
        if (tags.isEmpty() && removedBefore == null && marks.isEmpty()) {
            return EMPTY;
        }
        return new WatchlistEntry(sorted(tags), removedBefore, sorted(marks));
    }

    /**
     * Adds {@code tag} when it is its device's latest add: it supersedes the device's live tag or mark.
     * Below the watermark it is not kept. An add that is not its device's latest changes nothing.
     */
    public WatchlistEntry add(String tag, Hlc addedAt) {
        String device = Tag.deviceOf(tag);
        Map.Entry<String, Hlc> latest = latestOf(device);
        if (latest != null && !isLater(addedAt, tag, latest)) {
            return this;
        }
        boolean kept = removedBefore == null || !addedAt.isBefore(removedBefore);
        if (!kept && latest == null) {
            return this;
        }
        TreeMap<String, Hlc> nextTags = new TreeMap<>(tags);
        NavigableMap<String, Hlc> nextMarks = marks;
        if (latest != null) {
            nextTags.remove(latest.getKey());
            if (marks.containsKey(latest.getKey())) {
                nextMarks = without(marks, latest.getKey());
            }
        }
        if (kept) {
            nextTags.put(tag, addedAt);
        }
        return new WatchlistEntry(Collections.unmodifiableNavigableMap(nextTags), removedBefore, nextMarks);
    }

    private static NavigableMap<String, Hlc> without(NavigableMap<String, Hlc> byTag, String tag) {
        TreeMap<String, Hlc> next = new TreeMap<>(byTag);
        next.remove(tag);
        return next.isEmpty() ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(next);
    }

    /** Whether an add is later than {@code latest}: by timestamp, then by tag (a client may reuse a timestamp). */
    private static boolean isLater(Hlc addedAt, String tag, Map.Entry<String, Hlc> latest) {
        int byTime = addedAt.compareTo(latest.getValue());
        return byTime > 0 || byTime == 0 && tag.compareTo(latest.getKey()) > 0;
    }

    /** The device's latest add this entry remembers: its live tag, or its mark; {@code null} when neither. */
    private Map.Entry<String, Hlc> latestOf(String deviceId) {
        Map.Entry<String, Hlc> live = ofDevice(tags, deviceId).firstEntry();
        return live != null ? live : ofDevice(marks, deviceId).firstEntry();
    }

    /** The live tags added by {@code deviceId}: at most one. */
    public NavigableMap<String, Hlc> tagsOf(String deviceId) {
        return ofDevice(tags, deviceId);
    }

    private static NavigableMap<String, Hlc> ofDevice(NavigableMap<String, Hlc> byTag, String deviceId) {
        // tags sort by device first; '0' is the character after '/'
        return byTag.subMap(deviceId + '/', true, deviceId + '0', false);
    }

    /** Deletes the named tags, each kept as its device's mark; names this entry does not hold are ignored. */
    public WatchlistEntry removeTags(Collection<String> observed) {
        TreeMap<String, Hlc> nextTags = new TreeMap<>(tags);
        TreeMap<String, Hlc> nextMarks = new TreeMap<>(marks);
        for (String tag : observed) {
            Hlc addedAt = nextTags.remove(tag);
            if (addedAt != null) {
                nextMarks.put(tag, addedAt); // a live tag is at or above the watermark
            }
        }
        if (nextTags.size() == tags.size()) {
            return this;
        }
        return new WatchlistEntry(Collections.unmodifiableNavigableMap(nextTags), removedBefore,
                Collections.unmodifiableNavigableMap(nextMarks));
    }

    /** Deletes every tag (and mark) added before {@code removedAt} and raises the watermark to it. */
    public WatchlistEntry removeBefore(Hlc removedAt) {
        if (removedBefore != null && !removedAt.isAfter(removedBefore)) {
            return this;
        }
        return new WatchlistEntry(before(tags, removedAt), removedAt, before(marks, removedAt));
    }

    private static NavigableMap<String, Hlc> before(NavigableMap<String, Hlc> byTag, Hlc removedAt) {
        if (byTag.isEmpty()) {
            return byTag;
        }
        TreeMap<String, Hlc> next = new TreeMap<>(byTag);
        next.values().removeIf(addedAt -> addedAt.isBefore(removedAt));
        return Collections.unmodifiableNavigableMap(next);
    }

    /**
     * Drops a watermark and marks older than {@code oldestAccepted}: every op they could still decide is
     * older than the retention horizon and refused as stale anyway.
     */
    public WatchlistEntry forgetWatermarkBefore(Hlc oldestAccepted) {
        boolean oldWatermark = removedBefore != null && removedBefore.isBefore(oldestAccepted);
        boolean oldMarks = marks.values().stream().anyMatch(markedAt -> markedAt.isBefore(oldestAccepted));
        if (!oldWatermark && !oldMarks) {
            return this;
        }
        return new WatchlistEntry(tags, oldWatermark ? null : removedBefore, before(marks, oldestAccepted));
    }

    public boolean inWatchlist() {
        return !tags.isEmpty();
    }

    /** True when the entry holds nothing worth storing. */
    public boolean isVoid() {
        return tags.isEmpty() && removedBefore == null && marks.isEmpty();
    }

    /** Live tags and their add timestamps, sorted by tag. */
    public NavigableMap<String, Hlc> tags() {
        return tags;
    }

    /** The remove watermark, or {@code null} when no tagless remove is remembered. */
    public Hlc removedBefore() {
        return removedBefore;
    }

    /** The latest adds of devices that a remove deleted by name (at most one per device), sorted by tag. */
    public NavigableMap<String, Hlc> marks() {
        return marks;
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

    private static NavigableMap<String, Hlc> sorted(Map<String, Hlc> byTag) {
        return byTag.isEmpty() ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(new TreeMap<>(byTag));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatchlistEntry other && tags.equals(other.tags)
                && Objects.equals(removedBefore, other.removedBefore) && marks.equals(other.marks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tags, removedBefore, marks);
    }

    @Override
    public String toString() {
        return "WatchlistEntry{tags=" + tags + ", removedBefore=" + removedBefore + ", marks=" + marks + '}';
    }
}
