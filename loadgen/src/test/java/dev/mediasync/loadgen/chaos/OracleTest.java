package dev.mediasync.loadgen.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.ClientMessage;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The chaos run's oracle applies the contract's merge rules, written down here case by case. */
class OracleTest {

    private static SentOp acked(String device, long physical, ClientMessage message) {
        SentOp op = new SentOp("u", device, message, Hlc.of(physical, 0), -1);
        op.times().ackedNanos = 1;
        return op;
    }

    private static ProgressUpdate progress(String opId, String content) {
        return new ProgressUpdate(opId, content, new PlaybackPosition(10, 100, PlaybackState.PAUSED));
    }

    private static WatchlistUpdate watchlist(String opId, WatchlistOperation operation, String content) {
        return new WatchlistUpdate(opId, operation, content, null);
    }

    @Test
    void progressGoesToTheHighestTimestampThenTheGreaterDeviceAndARemoveIsAWrite() {
        ChaosDevice.View view = Oracle.expected(List.of(
                acked("phone", 5, progress("p1", "a")), acked("tv", 5, progress("p2", "a")),
                acked("tv", 7, progress("p3", "b")), acked("phone", 8, new ProgressRemove("r1", "b")),
                acked("tv", 9, new ProgressRemove("r2", "c")), acked("phone", 10, progress("p4", "c"))));

        assertThat(view.progress()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "a", "p2", // equal timestamps: "tv" > "phone"
                "c", "p4"))); // "b" removed by the later remove; "c" written after its remove
    }

    @Test
    void aTitleStaysWhenSomeDevicesLatestAddIsAtOrAboveTheRemoveTimestamp() {
        ChaosDevice.View view = Oracle.expected(List.of(
                acked("tv", 1, watchlist("a1", WatchlistOperation.ADD, "kept-by-tie")),
                acked("phone", 1, watchlist("r1", WatchlistOperation.REMOVE, "kept-by-tie")),
                acked("tv", 2, watchlist("a2", WatchlistOperation.ADD, "removed")),
                acked("phone", 3, watchlist("r2", WatchlistOperation.REMOVE, "removed")),
                acked("tv", 4, watchlist("a3", WatchlistOperation.ADD, "concurrent")),
                acked("phone", 4, watchlist("a4", WatchlistOperation.ADD, "concurrent")),
                acked("web", 5, watchlist("r3", WatchlistOperation.REMOVE, "concurrent")),
                acked("tv", 6, watchlist("a5", WatchlistOperation.ADD, "concurrent"))));

        assertThat(view.watchlist()).containsExactly("concurrent", "kept-by-tie");
    }
}
