package dev.mediasync.loadgen.chaos;

import dev.mediasync.progress.PlaybackState;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Users, each with a few devices, making conflicting ops on a handful of shared titles (watchlist adds and
 * removes, progress updates and removes) plus writes to a title of their own, the probe, whose position
 * counts up: a sibling that sees probe position n has seen every earlier probe write of that device, which
 * times propagation without depending on who wins a conflict.
 */
final class Workload implements ChaosDevice.Observer {

    static final String PROBE_PREFIX = "probe:";
    private static final String[] DEVICE_NAMES = {"tv", "phone", "web"};
    private static final int SHARED_WATCHLIST_TITLES = 4;
    private static final int SHARED_PROGRESS_TITLES = 3;
    /**
     * Ops a device has out at once, as real clients pipeline: an op refused for now is resent later while
     * the next ones go on, so a device's ops reach the log out of the order it made them.
     */
    static final int IN_FLIGHT = 4;

    private final Map<String, List<ChaosDevice>> devicesByUser = new ConcurrentHashMap<>();
    private final List<ChaosDevice> devices = new ArrayList<>();
    private final ConcurrentLinkedQueue<SentOp> ops = new ConcurrentLinkedQueue<>();
    /** Probe ops by "device#seq", until every sibling has seen them. */
    private final Map<String, SentOp> unseenProbes = new ConcurrentHashMap<>();
    /** The highest probe position each viewer saw of each sibling: "viewer>device" to seq. */
    private final Map<String, Integer> probeSeen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> probeSeq = new ConcurrentHashMap<>();
    private final AtomicInteger opIds = new AtomicInteger();
    private final ScheduledExecutorService timers;
    private volatile boolean generating;

    Workload(int users, List<URI> gateways, Function<String, String> tokens, HttpClient http,
             ScheduledExecutorService timers) {
        this.timers = timers;
        for (int u = 0; u < users; u++) {
            String user = "chaos-user-" + u;
            String token = tokens.apply(user);
            List<ChaosDevice> own = new ArrayList<>();
            for (int d = 0; d < DEVICE_NAMES.length; d++) {
                own.add(new ChaosDevice(user, DEVICE_NAMES[d] + "-" + u, token, gateways, u + d, http, this));
            }
            devicesByUser.put(user, own);
            devices.addAll(own);
        }
    }

    List<ChaosDevice> devices() {
        return devices;
    }

    Map<String, List<ChaosDevice>> devicesByUser() {
        return devicesByUser;
    }

    /** Connects every device and, every {@code periodMs}, lets each device with room in flight make its next op. */
    void start(long periodMs) {
        devices.forEach(ChaosDevice::connect);
        for (ChaosDevice device : devices) {
            long offset = ThreadLocalRandom.current().nextLong(periodMs);
            timers.scheduleAtFixedRate(() -> tick(device), offset, periodMs, TimeUnit.MILLISECONDS);
        }
        generating = true;
    }

    void generating(boolean on) {
        generating = on;
    }

    boolean allIdle() {
        return devices.stream().allMatch(ChaosDevice::idle);
    }

    List<SentOp> ops() {
        return List.copyOf(ops);
    }

    /** Acked ops of one user, in any order: the oracle's input. */
    List<SentOp> ackedOf(String user) {
        return ops.stream().filter(op -> op.user().equals(user) && op.acked()).toList();
    }

    void stop() {
        generating = false;
        devices.forEach(ChaosDevice::stop);
    }

    private void tick(ChaosDevice device) {
        if (!generating || device.pending() >= IN_FLIGHT || !device.synced()) {
            return;
        }
        try {
            ChaosDevice.Intent intent = next(device);
            register(device.submit(intent), intent.probeSeq());
        } catch (RuntimeException e) {
            System.err.println("sync-chaos: " + device.id + " could not make an op: " + e);
        }
    }

    private ChaosDevice.Intent next(ChaosDevice device) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double pick = random.nextDouble();
        if (pick < 0.4) {
            int seq = probeSeq.computeIfAbsent(device.id, d -> new AtomicInteger()).incrementAndGet();
            return new ChaosDevice.Intent.Progress(PROBE_PREFIX + device.id, seq, PlaybackState.PLAYING, seq);
        }
        if (pick < 0.65) {
            return new ChaosDevice.Intent.Progress("tmdb:" + (100 + random.nextInt(SHARED_PROGRESS_TITLES)),
                    random.nextInt(5_000), PlaybackState.PAUSED, -1);
        }
        if (pick < 0.7) {
            return new ChaosDevice.Intent.RemoveProgress("tmdb:" + (100 + random.nextInt(SHARED_PROGRESS_TITLES)));
        }
        return new ChaosDevice.Intent.Watchlist("tmdb:" + random.nextInt(SHARED_WATCHLIST_TITLES), pick < 0.88);
    }

    /** Tracks an op; a probe its siblings saw before it was tracked here counts as seen at once. */
    private void register(SentOp op, int seq) {
        ops.add(op);
        if (seq >= 0) {
            unseenProbes.put(op.device() + "#" + seq, op);
            if (seenByEverySibling(op) && unseenProbes.remove(op.device() + "#" + seq) != null) {
                op.times().propagatedNanos = System.nanoTime();
            }
        }
    }

    @Override
    public void probeSeen(ChaosDevice viewer, String probeContent, int seq) {
        String sender = probeContent.substring(PROBE_PREFIX.length());
        if (sender.equals(viewer.id)) {
            return;
        }
        int before = probeSeen.getOrDefault(viewer.id + ">" + sender, 0);
        if (seq <= before) {
            return;
        }
        probeSeen.put(viewer.id + ">" + sender, seq);
        long now = System.nanoTime();
        for (int s = before + 1; s <= seq; s++) {
            SentOp op = unseenProbes.get(sender + "#" + s);
            if (op != null && seenByEverySibling(op) && unseenProbes.remove(sender + "#" + s) != null) {
                op.times().propagatedNanos = now;
            }
        }
    }

    private boolean seenByEverySibling(SentOp op) {
        return devicesByUser.get(op.user()).stream().filter(d -> !d.id.equals(op.device()))
                .allMatch(d -> probeSeen.getOrDefault(d.id + ">" + op.device(), 0) >= op.probeSeq());
    }

    /** The last acked probe position of each device. */
    Map<String, Integer> lastAckedProbes() {
        Map<String, Integer> last = new ConcurrentHashMap<>();
        ops.stream().filter(op -> op.isProbe() && op.acked())
                .forEach(op -> last.merge(op.device(), op.probeSeq(), Math::max));
        return last;
    }
}
