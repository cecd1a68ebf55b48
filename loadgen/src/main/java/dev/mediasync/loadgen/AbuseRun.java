package dev.mediasync.loadgen;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * {@code bin/sync-bench --abuse}: one user floods the platform while bystanders go about their business,
 * and what the bystanders feel is measured. The flooding user's {@code flood-devices} devices (20) each keep
 * one op in flight and back off on {@code rate_limited} and {@code unavailable}, as the contract asks: first
 * {@code flood-same} adds of one title (2,000), then {@code flood-titles} adds of distinct titles (5,000).
 * Each of {@code bystanders} users (5) has a device that reports progress every 200 ms and a sibling
 * that measures when it sees it (open loop, from the scheduled time). Bystander propagation is reported
 * per phase: quiet (before the flood, after {@code warmup-seconds} unmeasured), one title flooded, many
 * titles flooded.
 */
final class AbuseRun {

    enum Phase { WARMUP, QUIET, SAME_TITLE, MANY_TITLES, DONE }

    private static final Pattern OP_ID = Pattern.compile("\"op_id\":\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    private static final long BYSTANDER_PERIOD_MS = 200;

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.WARMUP);
    private final Map<Phase, Histogram> propagation = new EnumMap<>(Phase.class);
    /** Bystander op id → when it was scheduled (nanos) and in which phase. */
    private final Map<String, long[]> sentAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> floodAnswers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

    private AbuseRun() {
        for (Phase p : Phase.values()) {
            propagation.put(p, new Histogram(60_000_000_000L, 3));
        }
    }

    static Map<String, Object> run(Platform platform, Connector connector, int floodDevices, int sameTitle,
                                   int titles, int bystanders, int warmupSeconds, int quietSeconds) throws InterruptedException {
        return new AbuseRun().measure(platform, connector, floodDevices, sameTitle, titles, bystanders, warmupSeconds, quietSeconds);
    }

    private Map<String, Object> measure(Platform platform, Connector connector, int floodDevices, int sameTitle,
                                        int titles, int bystanders, int warmupSeconds, int quietSeconds) throws InterruptedException {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<Device> senders = new ArrayList<>();
        List<Device> opened = new ArrayList<>();
        for (int b = 0; b < bystanders; b++) {
            String user = "bystander-" + run + "-" + b;
            String token = platform.token(user);
            opened.add(connector.connect(platform.webSocket("127.0.0.1", "watcher"), token, user, "watcher",
                    (device, frame) -> seen(frame)).join());
            Device sender = connector.connect(platform.webSocket("127.0.0.1", "player"), token, user, "player",
                    (device, frame) -> { }).join();
            senders.add(sender);
            opened.add(sender);
        }
        AtomicInteger seq = new AtomicInteger();
        for (Device sender : senders) {
            timers.scheduleAtFixedRate(() -> report(sender, seq.incrementAndGet()), 0, BYSTANDER_PERIOD_MS,
                    TimeUnit.MILLISECONDS);
        }
        // spans of time are the measure here: unmeasured warm-up (a fresh stack's JIT), then the quiet baseline
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        phase.set(Phase.QUIET);
        Thread.sleep(TimeUnit.SECONDS.toMillis(quietSeconds));

        String abuser = "abuser-" + run;
        String token = platform.token(abuser);
        List<Flooder> flooders = new ArrayList<>();
        for (int d = 0; d < floodDevices; d++) {
            Flooder flooder = new Flooder();
            flooder.device = connector.connect(platform.webSocket("127.0.0.1", "flood-" + d), token, abuser,
                    "flood-" + d, (device, frame) -> flooder.answer(frame)).join();
            flooders.add(flooder);
            opened.add(flooder.device);
        }
        ProcessCpu cpu = new ProcessCpu();
        ProcessCpu.Sample cpuAtStart = cpu.sample();
        phase.set(Phase.SAME_TITLE);
        flood(flooders, sameTitle, i -> "tmdb:flooded");
        ProcessCpu.Sample cpuAfterSame = cpu.sample();
        phase.set(Phase.MANY_TITLES);
        flood(flooders, titles, i -> "tmdb:flood-" + i);
        ProcessCpu.Sample cpuAfterMany = cpu.sample();
        phase.set(Phase.DONE);
        timers.shutdownNow();
        opened.forEach(Device::close);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("flood_devices", floodDevices);
        json.put("bystanders", bystanders);
        json.put("same_title_adds", sameTitle);
        ProcessCpu.Window same = ProcessCpu.between(cpuAtStart, cpuAfterSame, sameTitle);
        ProcessCpu.Window many = ProcessCpu.between(cpuAfterSame, cpuAfterMany, titles);
        json.put("same_title_seconds", same.seconds());
        json.put("distinct_titles", titles);
        json.put("distinct_titles_seconds", many.seconds());
        json.put("cpu_cores_same_title", same.cores());
        json.put("cpu_cores_distinct_titles", many.cores());
        Map<String, Object> answers = new LinkedHashMap<>();
        floodAnswers.forEach((code, count) -> answers.put(code, count.get()));
        json.put("flood_answers", answers);
        for (Phase p : List.of(Phase.QUIET, Phase.SAME_TITLE, Phase.MANY_TITLES)) {
            Histogram h = propagation.get(p);
            synchronized (h) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("count", h.getTotalCount());
                figures.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
                figures.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
                figures.put("max_ms", h.getMaxValue() / 1e6);
                json.put("bystander_" + p.name().toLowerCase(Locale.ROOT), figures);
            }
        }
        json.put("bystanders_lost", sentAt.size());
        return json;
    }

    /** Cores each process used over a phase. */
    private void report(Device sender, int n) {
        String opId = "by-" + n;
        sentAt.put(opId, new long[] {System.nanoTime(), phase.get().ordinal()});
        sender.send("{\"type\":\"progress_update\",\"op_id\":\"" + opId + "\",\"content_id\":\"tmdb:" + (n % 50)
                + "\",\"position_seconds\":" + (n % 3000) + ",\"duration_seconds\":7200,\"state\":\"playing\"}");
    }

    private void seen(String frame) {
        if (!frame.startsWith("{\"type\":\"progress_state\"")) {
            return;
        }
        Matcher id = OP_ID.matcher(frame);
        if (id.find()) {
            long[] sent = sentAt.remove(id.group(1));
            if (sent != null) {
                Histogram h = propagation.get(Phase.values()[(int) sent[1]]);
                synchronized (h) {
                    h.recordValue(Math.min(System.nanoTime() - sent[0], h.getHighestTrackableValue()));
                }
            }
        }
    }

    /** Each flooder sends its share of {@code count} ops, one in flight; returns when all are answered for good. */
    private void flood(List<Flooder> flooders, int count, IntFunction<String> title)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger next = new AtomicInteger();
        for (Flooder flooder : flooders) {
            flooder.start(() -> {
                int i = next.getAndIncrement();
                return i < count ? "{\"type\":\"watchlist_update\",\"op_id\":\"f" + phase.get().ordinal() + "-" + i
                        + "\",\"operation\":\"add\",\"content_id\":\"" + title.apply(i) + "\"}" : null;
            }, done);
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the flood did not finish in 10 minutes: " + done.getCount() + " left");
        }
    }

    /** One device of the flooding user: one op in flight, resent after a back-off when refused for now. */
    private final class Flooder {

        Device device;
        private Supplier<String> ops;
        private CountDownLatch done;
        private String current;
        private long backOffMs = 50;

        synchronized void start(Supplier<String> ops, CountDownLatch done) {
            this.ops = ops;
            this.done = done;
            sendNext();
        }

        private void sendNext() {
            current = ops.get();
            if (current != null) {
                device.send(current);
            }
        }

        synchronized void answer(String frame) {
            boolean ack = frame.startsWith("{\"type\":\"ack\"");
            if (!ack && !frame.startsWith("{\"type\":\"error\"") || current == null) {
                return;
            }
            Matcher id = OP_ID.matcher(frame);
            Matcher code = CODE.matcher(frame);
            String answer = ack ? "ack" : code.find() ? code.group(1) : "error";
            if (!id.find() || !current.contains("\"op_id\":\"" + id.group(1) + "\"")) {
                if (!ack) { // the processor's refusal of an op already acked (limit_exceeded)
                    floodAnswers.computeIfAbsent("after_ack_" + answer, a -> new AtomicInteger()).incrementAndGet();
                }
                return;
            }
            floodAnswers.computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet();
            if (answer.equals("rate_limited") || answer.equals("unavailable")) {
                String again = current;
                long wait = backOffMs;
                backOffMs = Math.min(2_000, backOffMs * 2);
                timers.schedule(() -> device.send(again), wait, TimeUnit.MILLISECONDS);
                return;
            }
            backOffMs = 50;
            done.countDown();
            sendNext();
        }
    }
}
