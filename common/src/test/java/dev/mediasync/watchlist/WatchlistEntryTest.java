package dev.mediasync.watchlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchlistEntryTest {

    private static Hlc at(long ms) {
        return Hlc.of(ms, 0);
    }

    @Test
    void anAddPutsTheTitleInTheWatchlist() {
        WatchlistEntry entry = WatchlistEntry.empty().add("tv/a1", at(10));

        assertThat(entry.inWatchlist()).isTrue();
        assertThat(entry.tags()).containsOnlyKeys("tv/a1");
        assertThat(entry.addedAt()).isEqualTo(at(10));
    }

    @Test
    void aResentAddIsTheSameAdd() {
        WatchlistEntry once = WatchlistEntry.empty().add("tv/a1", at(10));

        assertThat(once.add("tv/a1", at(10))).isSameAs(once);
    }

    @Test
    void aRemoveOfObservedTagsKeepsAConcurrentAdd() {
        WatchlistEntry entry = WatchlistEntry.empty().add("tv/a1", at(10)).add("phone/b1", at(12));

        WatchlistEntry removed = entry.removeTags(List.of("tv/a1"));

        assertThat(removed.inWatchlist()).isTrue();
        assertThat(removed.tags()).containsOnlyKeys("phone/b1");
    }

    @Test
    void aTaglessRemoveDeletesOlderAddsAndKeepsLaterOnes() {
        WatchlistEntry entry = WatchlistEntry.empty().add("tv/a1", at(10)).add("phone/b1", at(30));

        WatchlistEntry removed = entry.removeBefore(at(20));

        assertThat(removed.tags()).containsOnlyKeys("phone/b1");
        assertThat(removed.removedBefore()).isEqualTo(at(20));
    }

    @Test
    void anAddOlderThanTheWatermarkArrivingLateStaysRemoved() {
        WatchlistEntry removed = WatchlistEntry.empty().removeBefore(at(20));

        assertThat(removed.add("tv/a1", at(19)).inWatchlist()).isFalse();
        assertThat(removed.add("tv/a1", at(20)).inWatchlist()).as("add wins on a tie").isTrue();
    }

    @Test
    void theWatermarkOnlyRises() {
        WatchlistEntry entry = WatchlistEntry.empty().removeBefore(at(20));

        assertThat(entry.removeBefore(at(5))).isSameAs(entry);
        assertThat(entry.removeBefore(at(25)).removedBefore()).isEqualTo(at(25));
    }

    @Test
    void aWatermarkPastTheHorizonIsForgottenAndTheEntryBecomesVoid() {
        WatchlistEntry entry = WatchlistEntry.empty().add("tv/a1", at(10)).removeBefore(at(20));

        WatchlistEntry forgotten = entry.forgetWatermarkBefore(at(21));

        assertThat(forgotten.removedBefore()).isNull();
        assertThat(forgotten.isVoid()).isTrue();
        assertThat(entry.forgetWatermarkBefore(at(20))).isSameAs(entry);
    }

    @Test
    void theTimestampIsTheNewestTagOrWatermark() {
        WatchlistEntry entry = WatchlistEntry.empty().add("tv/a1", at(10)).removeBefore(at(5)).add("x/1", at(7));

        assertThat(entry.timestamp()).isEqualTo(at(10));
        assertThat(entry.addedAt()).isEqualTo(at(7));
        assertThat(WatchlistEntry.empty().removeBefore(at(40)).timestamp()).isEqualTo(at(40));
    }

    @Test
    void staysOneTagAndOneWatermarkOverAHundredThousandAddRemoveCycles() {
        OrSet set = OrSet.empty();
        for (int i = 0; i < 100_000; i++) {
            set = set.add("tmdb:550", Tag.of("tv", "op" + i), at(2L * i + 1));
            assertThat(set.entry("tmdb:550").tags()).hasSize(1);
            set = i % 2 == 0
                    ? set.removeBefore("tmdb:550", at(2L * i + 2))
                    : set.removeTags("tmdb:550", List.of(Tag.of("tv", "op" + i)));
            assertThat(set.entries().size()).isLessThanOrEqualTo(1);
            assertThat(set.entry("tmdb:550").tags()).isEmpty();
        }
        assertThat(set.contains("tmdb:550")).isFalse();
        assertThat(set.entry("tmdb:550").removedBefore()).isEqualTo(at(2L * 99_998 + 2));
    }

    @Test
    void anOlderAddOfADeviceArrivingAfterItsNewerOneChangesNothing() {
        WatchlistEntry newer = WatchlistEntry.empty().add("tv/b", at(20));

        assertThat(newer.add("tv/a", at(10))).isSameAs(newer);
        assertThat(WatchlistEntry.empty().add("tv/a", at(10)).add("tv/b", at(20))).isEqualTo(newer);
    }

    @Test
    void anOlderAddBelowAWatermarkCannotTakeANewerAddOut() {
        // tv adds A (10), phone removes (15), tv adds B (20); A is resent and arrives last
        WatchlistEntry entry = WatchlistEntry.empty().add("tv/a", at(10)).removeBefore(at(15)).add("tv/b", at(20));

        WatchlistEntry resent = entry.add("tv/a", at(10));

        assertThat(resent.inWatchlist()).isTrue();
        assertThat(resent.tags()).containsOnlyKeys("tv/b");
    }

    @Test
    void aDevicesLatestAddRemovedByNameKeepsItsEarlierAddsFromComingBack() {
        WatchlistEntry removed = WatchlistEntry.empty().add("tv/a", at(10)).add("tv/b", at(20))
                .removeTags(List.of("tv/b"));

        assertThat(removed.inWatchlist()).isFalse();
        assertThat(removed.marks()).containsOnlyKeys("tv/b");
        assertThat(removed.add("tv/a", at(10))).isSameAs(removed);
        assertThat(removed.add("tv/b", at(20))).isSameAs(removed);
        assertThat(removed.add("tv/c", at(30)).tags()).containsOnlyKeys("tv/c");
        assertThat(removed.add("tv/c", at(30)).marks()).isEmpty();
    }

    @Test
    void aMarkBelowTheWatermarkIsDropped() {
        WatchlistEntry marked = WatchlistEntry.empty().add("tv/a", at(10)).removeTags(List.of("tv/a"));

        assertThat(marked.removeBefore(at(10)).marks()).containsOnlyKeys("tv/a");
        assertThat(marked.removeBefore(at(11)).marks()).isEmpty();
        assertThat(marked.forgetWatermarkBefore(at(11)).isVoid()).isTrue();
    }
}
