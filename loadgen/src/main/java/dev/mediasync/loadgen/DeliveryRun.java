package dev.mediasync.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Routed against broadcast delivery (bin/sync-bench --delivery): users spread over G gateways (both
 * devices of a user on one gateway), one fixed-rate run, and per gateway what it read (records and
 * bytes per second, from its {@code sync.gateway.delivery.*} counters) and the CPU it spent per op, both
 * over the steady window after the warm-up, next to the events of its own users and the cross-device
 * latency.
 */
final class DeliveryRun {

    private static final AtomicReference<PropagationRun> RUN = new AtomicReference<>();

    private DeliveryRun() {
    }

    /** @return one line of figures per gateway and the run's latency, for the JSON summary */
    static Map<String, Object> run(List<URI> gateways, List<Long> pids, String label, int users, int rate, int seconds,
                                   int warmup, Connector connector, ProcessCpu cpu, Path gcLogs) {
        List<Platform> platforms = gateways.stream().map(Platform::new).toList();
        List<List<Device>> fleet = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Platform platform = platforms.get(u % platforms.size());
            String user = "delivery-" + label + "-" + u;
            String token = platform.token(user);
            List<CompletableFuture<Device>> opening = new ArrayList<>();
            for (int d = 0; d < 2; d++) {
                String id = "bench-" + d;
                opening.add(connector.connect(platform.webSocket("127.0.0.1", id), token, user, id, (device, frame) -> {
                    PropagationRun run = RUN.get();
                    if (run != null) {
                        run.onFrame(device, frame);
                    }
                }));
            }
            fleet.add(opening.stream().map(CompletableFuture::join).toList());
        }
        // the counters and CPU over the steady window only: after the warm-up, to the end of the run
        CompletableFuture<Sample> windowStart = CompletableFuture.supplyAsync(() -> Sample.of(platforms, pids),
                CompletableFuture.delayedExecutor(warmup * 1000L + 100, TimeUnit.MILLISECONDS));
        PropagationRun run = new PropagationRun(fleet, label + Long.toString(System.currentTimeMillis(), 36), rate,
                seconds, warmup);
        RUN.set(run);
        PropagationRun.Result result;
        try {
            result = run.run(cpu, gcLogs);
        } finally {
            RUN.set(null);
        }
        Sample start = windowStart.join();
        Sample end = Sample.of(platforms, pids);
        double elapsed = (end.nanos() - start.nanos()) / 1e9;
        long ops = (long) rate * seconds;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gateways", gateways.size());
        json.put("propagation_p50_ms", LoadGenerator.millis(result.propagation(), 50));
        json.put("propagation_p99_ms", LoadGenerator.millis(result.propagation(), 99));
        json.put("propagated", result.propagated() + " of " + result.sent());
        List<Map<String, Object>> perGateway = new ArrayList<>();
        double gatewaysCpu = 0;
        for (int g = 0; g < platforms.size(); g++) {
            Map<String, Object> line = new LinkedHashMap<>();
            double records = (end.records()[g] - start.records()[g]) / elapsed;
            double bytes = (end.bytes()[g] - start.bytes()[g]) / elapsed;
            double ownEvents = (double) rate / platforms.size(); // one progress_state per op, users spread evenly
            double spent = end.cpu()[g] - start.cpu()[g];
            gatewaysCpu += spent;
            line.put("gateway", gateways.get(g).toString());
            line.put("records_per_s", Math.round(records));
            line.put("own_users_events_per_s", Math.round(ownEvents));
            line.put("records_per_own_event", Math.round(100 * records / ownEvents) / 100.0);
            line.put("kib_per_s", Math.round(bytes / 1024));
            line.put("bytes_per_record", records == 0 ? 0 : Math.round(bytes / records));
            line.put("fetches_per_s", Math.round((end.fetches()[g] - start.fetches()[g]) / elapsed));
            line.put("cpu_us_per_op", Math.round(1e6 * spent / ops));
            perGateway.add(line);
        }
        json.put("gateways_cpu_us_per_op", Math.round(1e6 * gatewaysCpu / ops));
        // the other side of the trade: the processor writes the copies, the broker serves the reads
        json.put("processor_us_per_op", result.cpu().usPerOp().get("processor"));
        json.put("broker_us_per_op", result.cpu().usPerOp().get("broker"));
        json.put("per_gateway", perGateway);
        System.out.printf("delivery %-9s %d gateway(s): propagation p50 %.2f p99 %.2f ms (%s); CPU µs/op: gateways %d, "
                        + "processor %s, broker %s%n", label, gateways.size(), LoadGenerator.millis(result.propagation(), 50),
                LoadGenerator.millis(result.propagation(), 99), json.get("propagated"), json.get("gateways_cpu_us_per_op"),
                json.get("processor_us_per_op"), json.get("broker_us_per_op"));
        perGateway.forEach(line -> System.out.println("  " + line));
        fleet.forEach(devices -> devices.forEach(Device::close));
        return json;
    }

    /** Each gateway's delivery counters and CPU seconds at one moment. */
    private record Sample(long nanos, double[] records, double[] bytes, double[] fetches, double[] cpu) {

        static Sample of(List<Platform> platforms, List<Long> pids) {
            return new Sample(System.nanoTime(),
                    platforms.stream().mapToDouble(p -> p.metric("sync.gateway.delivery.records")).toArray(),
                    platforms.stream().mapToDouble(p -> p.metric("sync.gateway.delivery.bytes")).toArray(),
                    platforms.stream().mapToDouble(p -> p.metric("kafka.consumer.fetch.manager.fetch.total")).toArray(),
                    pids.stream().mapToDouble(DeliveryRun::cpuSeconds).toArray());
        }
    }

    private static double cpuSeconds(long pid) {
        return ProcessCpu.cpuSeconds(Path.of("/proc", Long.toString(pid)));
    }
}
