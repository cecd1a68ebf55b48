package dev.mediasync.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Routed against broadcast delivery (bin/sync-bench --delivery): users spread over G gateways (both
 * devices of a user on one gateway), one fixed-rate run, and per gateway what it read (records and
 * bytes per second, from its {@code sync.gateway.delivery.*} counters) and the CPU it spent per op of the
 * whole run, next to the events of its own users and the cross-device latency.
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
        double[] recordsBefore = platforms.stream().mapToDouble(p -> p.metric("sync.gateway.delivery.records")).toArray();
        double[] bytesBefore = platforms.stream().mapToDouble(p -> p.metric("sync.gateway.delivery.bytes")).toArray();
        double[] cpuBefore = pids.stream().mapToDouble(DeliveryRun::cpuSeconds).toArray();
        long started = System.nanoTime();
        PropagationRun run = new PropagationRun(fleet, label + Long.toString(System.currentTimeMillis(), 36), rate,
                seconds, warmup);
        RUN.set(run);
        PropagationRun.Result result;
        try {
            result = run.run(cpu, gcLogs);
        } finally {
            RUN.set(null);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gateways", gateways.size());
        json.put("propagation_p50_ms", LoadGenerator.millis(result.propagation(), 50));
        json.put("propagation_p99_ms", LoadGenerator.millis(result.propagation(), 99));
        json.put("propagated", result.propagated() + " of " + result.sent());
        List<Map<String, Object>> perGateway = new ArrayList<>();
        for (int g = 0; g < platforms.size(); g++) {
            Map<String, Object> line = new LinkedHashMap<>();
            double records = (platforms.get(g).metric("sync.gateway.delivery.records") - recordsBefore[g]) / elapsed;
            double bytes = (platforms.get(g).metric("sync.gateway.delivery.bytes") - bytesBefore[g]) / elapsed;
            double ownEvents = (double) rate / platforms.size(); // one progress_state per op, users spread evenly
            line.put("gateway", gateways.get(g).toString());
            line.put("records_per_s", Math.round(records));
            line.put("own_users_events_per_s", Math.round(ownEvents));
            line.put("records_per_own_event", Math.round(100 * records / ownEvents) / 100.0);
            line.put("kib_per_s", Math.round(bytes / 1024));
            line.put("cpu_us_per_op", Math.round(1e6 * (cpuSeconds(pids.get(g)) - cpuBefore[g]) / (elapsed * rate)));
            perGateway.add(line);
        }
        json.put("per_gateway", perGateway);
        System.out.printf("delivery %-9s %d gateway(s): propagation p50 %.2f p99 %.2f ms (%s)%n", label, gateways.size(),
                LoadGenerator.millis(result.propagation(), 50), LoadGenerator.millis(result.propagation(), 99),
                json.get("propagated"));
        perGateway.forEach(line -> System.out.println("  " + line));
        fleet.forEach(devices -> devices.forEach(Device::close));
        return json;
    }

    private static double cpuSeconds(long pid) {
        return ProcessCpu.cpuSeconds(Path.of("/proc", Long.toString(pid)));
    }
}
