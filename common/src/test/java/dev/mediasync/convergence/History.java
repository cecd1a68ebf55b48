package dev.mediasync.convergence;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.watchlist.OrSet;
import dev.mediasync.watchlist.Tag;
import dev.mediasync.watchlist.WatchlistEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A causal history of ops from several devices, the orders in which a replica may receive it, and the
 * state the merge rules say it must end in, computed straight from the rules rather than by replaying.
 */
record History(List<TestOp> ops) {

    enum Kind { ADD, REMOVE_BEFORE, REMOVE_OBSERVED, PROGRESS }

    /** A generated step: which device does what, when. {@code pick} chooses the observed tags. */
    record Step(int device, Kind kind, int content, long ms, int logical, int position, int pick) {
    }

    record TestOp(int index, String deviceId, String opId, Kind kind, String contentId, Hlc timestamp,
                  List<String> observedTags, int position, List<Integer> happensAfter) {

        String tag() {
            return Tag.of(deviceId, opId);
        }
    }

    static History of(List<Step> steps) {
        List<TestOp> ops = new ArrayList<>();
        Map<String, Integer> lastOfDevice = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String device = "d" + step.device();
            String content = "tmdb:" + step.content();
            List<Integer> after = new ArrayList<>();
            if (lastOfDevice.containsKey(device)) {
                after.add(lastOfDevice.get(device));
            }
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
            lastOfDevice.put(device, i);
        }
        return new History(ops);
    }

    /**
     * A random delivery order that keeps each device's order and delivers an observed-tag remove after
     * the adds it names, with random ops delivered again later.
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
     * The watchlist the rules define: a device's latest add of a title speaks for it (its earlier adds are
     * superseded); that add is live unless a remove named it or it is below the title's watermark.
     */
    OrSet expectedWatchlist() {
        Map<String, Hlc> watermarks = new HashMap<>();
        Set<String> removedTags = new HashSet<>();
        Map<String, TestOp> latestAdd = new LinkedHashMap<>();
        for (TestOp op : ops) {
            if (op.kind() == Kind.REMOVE_BEFORE) {
                watermarks.merge(op.contentId(), op.timestamp(), Hlc::max);
            } else if (op.kind() == Kind.REMOVE_OBSERVED) {
                removedTags.addAll(op.observedTags());
            } else if (op.kind() == Kind.ADD) {
                latestAdd.put(op.deviceId() + ' ' + op.contentId(), op); // ops are in each device's order
            }
        }
        Map<String, Map<String, Hlc>> live = new TreeMap<>();
        for (TestOp op : latestAdd.values()) {
            Hlc watermark = watermarks.get(op.contentId());
            if (!removedTags.contains(op.tag()) && (watermark == null || !op.timestamp().isBefore(watermark))) {
                live.computeIfAbsent(op.contentId(), c -> new LinkedHashMap<>()).put(op.tag(), op.timestamp());
            }
        }
        OrSet expected = OrSet.empty();
        Set<String> titles = new HashSet<>(live.keySet());
        titles.addAll(watermarks.keySet());
        for (String content : titles) {
            WatchlistEntry entry = WatchlistEntry.of(live.getOrDefault(content, Map.of()), watermarks.get(content));
            for (Map.Entry<String, Hlc> tag : entry.tags().entrySet()) {
                expected = expected.add(content, tag.getKey(), tag.getValue());
            }
            if (entry.removedBefore() != null) {
                expected = expected.removeBefore(content, entry.removedBefore());
            }
        }
        return expected;
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
