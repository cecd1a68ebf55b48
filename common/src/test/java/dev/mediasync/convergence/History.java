package dev.mediasync.convergence;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.watchlist.OrSet;
import dev.mediasync.watchlist.Tag;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * A causal history of ops from several devices, the orders in which a replica may receive it, and the
 * state the merge rules say it must end in, computed straight from the rules rather than by replaying.
 */
record History(List<TestOp> ops) {

    enum Kind { ADD, REMOVE_BEFORE, REMOVE_OBSERVED, PROGRESS }

    /** A generated step: which device does what, when. {@code pick} chooses the observed tags. */
    record Step(int device, Kind kind, int content, long ms, int logical, int position, int pick) {
    }

    /**
     * @param happensAfter the ops that must have arrived first: the adds an observed-tag remove names (its
     *     device saw them applied). A device's own order is not among them: resends and pipelining reorder it.
     */
    record TestOp(int index, String deviceId, String opId, Kind kind, String contentId, Hlc timestamp,
                  List<String> observedTags, int position, List<Integer> happensAfter) {

        String tag() {
            return Tag.of(deviceId, opId);
        }
    }

    static History of(List<Step> steps) {
        List<TestOp> ops = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String device = "d" + step.device();
            String content = "tmdb:" + step.content();
            List<Integer> after = new ArrayList<>();
            Kind kind = step.kind();
            List<String> observed = null;
            if (kind == Kind.REMOVE_OBSERVED) {
                List<TestOp> adds = ops.stream()
                        .filter(op -> op.kind() == Kind.ADD && op.contentId().equals(content)).toList();
                if (adds.isEmpty()) {
                    kind = Kind.REMOVE_BEFORE;
                } else {
                    observed = new ArrayList<>();
                    for (int a = 0; a < adds.size(); a++) {
                        if ((step.pick() >>> (a % 31) & 1) == 1 || a == step.pick() % adds.size()) {
                            observed.add(adds.get(a).tag());
                            after.add(adds.get(a).index());
                        }
                    }
                }
            }
            ops.add(new TestOp(i, device, "op" + i, kind, content, Hlc.of(step.ms(), step.logical()),
                    observed, step.position(), after));
        }
        return new History(ops);
    }

    /**
     * A random delivery order, each device's ops in any order too, that delivers an observed-tag remove
     * after the adds it names, with random ops delivered again later.
     */
    List<TestOp> deliveryOrder(Random random, int duplicates) {
        List<TestOp> order = new ArrayList<>();
        Set<Integer> delivered = new HashSet<>();
        List<TestOp> pending = new ArrayList<>(ops);
        while (!pending.isEmpty()) {
            List<TestOp> ready = pending.stream().filter(op -> delivered.containsAll(op.happensAfter())).toList();
            TestOp next = ready.get(random.nextInt(ready.size()));
            pending.remove(next);
            delivered.add(next.index());
            order.add(next);
        }
        for (int d = 0; d < duplicates && !order.isEmpty(); d++) {
            int original = random.nextInt(order.size());
            int at = original + 1 + random.nextInt(order.size() - original);
            order.add(at, order.get(original));
        }
        return order;
    }

    /**
     * The watchlist the rules define, from the set of ops alone: a device's latest add of a title, by
     * (timestamp, tag), speaks for it (its other adds are superseded); that add is live unless a remove
     * named it or it is below the title's watermark. One named by a remove, at or above the watermark,
     * stays as its device's mark.
     */
    OrSet expectedWatchlist() {
        Map<String, Hlc> watermarks = new HashMap<>();
        Set<String> removedTags = new HashSet<>();
        Map<String, TestOp> latestAdd = new LinkedHashMap<>();
        Comparator<TestOp> byStamp = Comparator.comparing(TestOp::timestamp).thenComparing(TestOp::tag);
        for (TestOp op : ops) {
            if (op.kind() == Kind.REMOVE_BEFORE) {
                watermarks.merge(op.contentId(), op.timestamp(), Hlc::max);
            } else if (op.kind() == Kind.REMOVE_OBSERVED) {
                removedTags.addAll(op.observedTags());
            } else if (op.kind() == Kind.ADD) {
                latestAdd.merge(op.deviceId() + ' ' + op.contentId(), op, BinaryOperator.maxBy(byStamp));
            }
        }
        Map<String, Map<String, Hlc>> live = new TreeMap<>();
        Map<String, Map<String, Hlc>> marks = new TreeMap<>();
        for (TestOp op : latestAdd.values()) {
            Hlc watermark = watermarks.get(op.contentId());
            if (watermark == null || !op.timestamp().isBefore(watermark)) {
                (removedTags.contains(op.tag()) ? marks : live).computeIfAbsent(op.contentId(), c -> new LinkedHashMap<>())
                        .put(op.tag(), op.timestamp());
            }
        }
        Set<String> titles = new TreeSet<>(live.keySet());
        titles.addAll(watermarks.keySet());
        titles.addAll(marks.keySet());
        Map<String, WatchlistEntry> entries = new TreeMap<>();
        for (String content : titles) {
            entries.put(content, WatchlistEntry.of(live.getOrDefault(content, Map.of()), watermarks.get(content),
                    marks.getOrDefault(content, Map.of())));
        }
        return OrSet.of(entries);
    }

    /** The progress the rules define: the greatest write by (timestamp, device id, op id). */
    Map<String, LwwRegister<Integer>> expectedProgress() {
        Map<String, LwwRegister<Integer>> winners = new TreeMap<>();
        for (TestOp op : ops) {
            if (op.kind() == Kind.PROGRESS) {
                winners.merge(op.contentId(), Replica.write(op), LwwRegister::merge);
            }
        }
        return winners;
    }
}
