package dev.mediasync.loadgen.chaos;

import dev.mediasync.clock.Hlc;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state a user must end in, computed from the acked ops alone by the contract's merge rules
 * (docs/protocol.md), independently of the platform's CRDT code:
 * <ul>
 * <li>progress: per title the write (update or remove) with the highest (timestamp, device id, op id) wins;
 * <li>watchlist (removes by timestamp): a title is in the list when some device's latest add is at or
 * above the highest remove timestamp of that title.
 * </ul>
 */
final class Oracle {

    private static final Comparator<SentOp> LWW = Comparator.comparing(SentOp::timestamp)
            .thenComparing(SentOp::device).thenComparing(SentOp::opId);

    private Oracle() {
    }

    static ChaosDevice.View expected(List<SentOp> acked) {
        Map<String, SentOp> progressWinners = new HashMap<>();
        Map<String, Hlc> removeWatermarks = new HashMap<>();
        Map<String, Map<String, Hlc>> latestAddByDevice = new HashMap<>();
        for (SentOp op : acked) {
            if (op.message() instanceof ProgressUpdate update) {
                progressWinners.merge(update.contentId(), op, (a, b) -> LWW.compare(a, b) >= 0 ? a : b);
            } else if (op.message() instanceof ProgressRemove remove) {
                progressWinners.merge(remove.contentId(), op, (a, b) -> LWW.compare(a, b) >= 0 ? a : b);
            } else if (op.message() instanceof WatchlistUpdate update && update.operation() == WatchlistOperation.ADD) {
                latestAddByDevice.computeIfAbsent(update.contentId(), c -> new HashMap<>())
                        .merge(op.device(), op.timestamp(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            } else if (op.message() instanceof WatchlistUpdate update) {
                removeWatermarks.merge(update.contentId(), op.timestamp(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        TreeMap<String, String> progress = new TreeMap<>();
        progressWinners.forEach((content, winner) -> {
            if (winner.message() instanceof ProgressUpdate) {
                progress.put(content, winner.opId());
            }
        });
        TreeSet<String> watchlist = new TreeSet<>();
        latestAddByDevice.forEach((content, adds) -> {
            Hlc watermark = removeWatermarks.getOrDefault(content, Hlc.MIN);
            if (adds.values().stream().anyMatch(added -> added.compareTo(watermark) >= 0)) {
                watchlist.add(content);
            }
        });
        return new ChaosDevice.View(watchlist, progress);
    }
}
