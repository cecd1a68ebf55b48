package dev.mediasync.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Measures the running platform as its users feel it, over real WebSockets:
 * <ol>
 *   <li>cross-device propagation and ack latency at a fixed offered rate, U users × D devices;</li>
 *   <li>stepped rates: the highest at which propagation p99 stays under 100 ms, and the highest the
 *   platform sustains (every op delivered, p99 under a second);</li>
 *   <li>connection capacity: N idle connections opened at a fixed rate, setup time, gateway heap and RSS
 *   per connection;</li>
 *   <li>the floors: the fixed rate again against a bare WebSocket relay ({@link WebSocketFloor},
 *   {@code --ws-floor 0} skips it), then against the same relay with the platform's two Kafka hops and
 *   nothing else on them ({@link KafkaHop}, {@code --kafka-floor 0} skips it), and Kafka's own
 *   EndToEndLatency on the same broker;</li>
 *   <li>a reconnect storm: N devices connecting within a window, refused ones coming back when told
 *   ({@link ReconnectStorm}).</li>
 * </ol>
 * With {@code --abuse}, only {@link AbuseRun}: one user floods, bystanders' propagation per phase
 * ({@code --flood-devices --flood-same --flood-titles --bystanders --warmup --quiet-seconds}).
 * Prints a table and one JSON line. Options: {@code --url --users --devices --rate --seconds --warmup
 * --steps --step-seconds --connections --connect-rate --connect-concurrency --spread --gateway-pid --kafka
 * --kafka-messages --storm --storm-seconds --client --ws-floor --kafka-floor --kafka-floor-linger}; a phase is skipped when its count is 0 (e.g. {@code --connections 0}).
 * {@code --client jdk} (the JDK's client, no extensions), {@code browser} (offers permessage-deflate as
 * browsers do), {@code both} (jdk, then browser) or a list in the order to run them ({@code browser,jdk}):
 * the fixed rate and the connections are measured for each. The warm-up
 * (60 s by default) runs at the fixed rate unmeasured: a fresh platform's JIT compilers take the cores
 * for about a minute.
 */
public final class LoadGenerator {

    /** The run in progress; the fleet's frames go to it. */
    private static final AtomicReference<PropagationRun> RUN = new AtomicReference<>();
    /** The platform's processes on this machine, for CPU per op. */
    private static final ProcessCpu CPU = new ProcessCpu();
    /** Where the JVMs log their safepoints ({@code <jvm>-gc.log}), for the stall report; null: none. */
    private static Path gcLogs;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI url = URI.create(options.getOrDefault("url", "http://localhost:8083"));
        int users = number(options, "users", 500);
        int devices = number(options, "devices", 2);
        int rate = number(options, "rate", 1000);
        int seconds = number(options, "seconds", 30);
        int warmup = number(options, "warmup", 60);
        List<Integer> steps = Arrays.stream(options.getOrDefault("steps", "2000,3000,4000,5000,6000,8000,10000")
                .split(",")).filter(s -> !s.isBlank()).map(Integer::parseInt).toList();
        int stepSeconds = number(options, "step-seconds", 15);
        int connections = number(options, "connections", 10000);
        int spread = number(options, "spread", 8);
        int connectRate = number(options, "connect-rate", 100);
        int connectConcurrency = number(options, "connect-concurrency", 256);
        int storm = number(options, "storm", 10000);
        int stormSeconds = number(options, "storm-seconds", 10);
        long gatewayPid = Long.parseLong(options.getOrDefault("gateway-pid", "-1"));
        String kafka = options.getOrDefault("kafka", "127.0.0.1:9092");
        int kafkaMessages = number(options, "kafka-messages", 5000);
        String client = options.getOrDefault("client", "jdk");
        gcLogs = options.containsKey("gc-logs") ? Path.of(options.get("gc-logs")) : null;

        if (options.containsKey("delivery")) {
            List<URI> gateways = Arrays.stream(options.get("gateways").split(",")).map(URI::create).toList();
            List<Long> pids = Arrays.stream(options.get("gateway-pids").split(",")).map(Long::parseLong).toList();
            HttpClient deliveryHttp = HttpClient.newBuilder().executor(Runnable::run).build();
            Map<String, Object> delivery = new LinkedHashMap<>();
            // the first run warms the gateways' JIT and is not compared; then 1 and all of them
            String[] names = {"warmup", "1", Integer.toString(gateways.size())};
            int[] counts = {gateways.size(), 1, gateways.size()};
            for (int run = 0; run < counts.length; run++) {
                int count = counts[run];
                delivery.put(options.get("delivery") + "_" + names[run], DeliveryRun.run(gateways.subList(0, count),
                        pids.subList(0, count), options.get("delivery") + names[run], users, number(options, "rate", 500),
                        number(options, "seconds", 20), number(options, "warmup", 10),
                        Connector.named("jdk", deliveryHttp), CPU, gcLogs));
            }
            System.out.println(toJson(delivery));
            return;
        }
        Platform platform = new Platform(url);
        if (!platform.healthy()) {
            throw new IllegalStateException("no platform at " + url + " (start it with bin/sync-local)");
        }
        if (options.containsKey("abuse")) {
            Map<String, Object> abuse = AbuseRun.run(platform, Connector.named(options.getOrDefault("client", "jdk"),
                            HttpClient.newBuilder().executor(Runnable::run).build()),
                    number(options, "flood-devices", 20), number(options, "flood-same", 2000),
                    number(options, "flood-titles", 5000), number(options, "bystanders", 5),
                    number(options, "warmup", 60), number(options, "quiet-seconds", 20));
            abuse.forEach((key, value) -> System.out.println("abuse: " + key + " = " + value));
            System.out.println(toJson(abuse));
            return;
        }
        if (!CPU.platformFound()) {
            System.out.println("CPU per op: the platform's processes are not on this machine; not measured");
        }
        // Frames are handled on the client's selector thread: a hand-off per frame to a pool cost more CPU
        // than the handling itself, on cores the platform shares.
        HttpClient http = HttpClient.newBuilder().executor(Runnable::run).build();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
        json.put("users", users);
        json.put("devices_per_user", devices);

        // in the order given: the first runs right after the warm-up, the next a quarter warm-up later
        List<String> clients = "both".equals(client) ? List.of("jdk", "browser") : List.of(client.split(","));
        PropagationRun.Result fixed = null;
        for (String name : clients) {
            Connector connector = Connector.named(name, http);
            List<List<Device>> fleet = openFleet(platform, connector, users, devices);
            System.out.printf("%d devices connected (%d users × %d, %s client)%n", users * devices, users, devices,
                    name);
            boolean first = fixed == null;
            PropagationRun.Result result = propagate(fleet, "fixed-" + name, rate, seconds, first ? warmup : warmup / 4);
            print("fixed rate, " + name + " client", result);
            json.put(first ? "fixed" : "fixed_" + name, result(result));
            if (first) {
                fixed = result;
                stepUp(fleet, steps, stepSeconds, json);
            }
            fleet.forEach(devicesOfUser -> devicesOfUser.forEach(Device::close));
        }

        if (options.getOrDefault("ws-floor", "1").equals("1") && fixed != null) {
            webSocketFloor(clients, http, users, devices, rate, seconds, warmup, json);
        }
        if (options.getOrDefault("kafka-floor", "1").equals("1") && fixed != null) {
            kafkaFloor(kafka, number(options, "kafka-floor-linger", 0), clients, http, users, devices, rate, seconds,
                    warmup, json);
        }
        if (kafkaMessages > 0) {
            KafkaFloor.Result floor = KafkaFloor.run(kafka, kafkaMessages);
            System.out.printf("Kafka EndToEndLatency (one hop, acks=all, %d msgs): avg %.3f ms, p50 %d ms, "
                    + "p99 %d ms, p99.9 %d ms%n", kafkaMessages, floor.averageMs(), floor.p50Ms(), floor.p99Ms(),
                    floor.p999Ms());
            System.out.printf("our propagation vs one Kafka hop: p50 %.1f× the hop's average; p99 %s%n",
                    millis(fixed.propagation(), 50) / floor.averageMs(),
                    floor.p99Ms() == 0 ? "vs a hop p99 under 1 ms" : String.format("%.1f×",
                            millis(fixed.propagation(), 99) / floor.p99Ms()));
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("avg_ms", floor.averageMs());
            k.put("p50_ms", floor.p50Ms());
            k.put("p99_ms", floor.p99Ms());
            k.put("p999_ms", floor.p999Ms());
            json.put("kafka_end_to_end_latency", k);
        }

        for (String name : connections > 0 ? clients : List.<String>of()) {
            List<Device> idle = new ArrayList<>();
            ConnectionCapacity.Result capacity = ConnectionCapacity.run(platform, Connector.named(name, http), connections, connectRate, spread,
                    4, connectConcurrency, gatewayPid, idle);
            System.out.printf("connections (" + name + " client): %d of %d opened at %d/s, setup p50 %.1f ms, p99 %.1f ms, max %.1f ms; gateway heap "
                    + "%s/connection, RSS %s/connection%s%n", capacity.opened(), capacity.requested(), connectRate,
                    millis(capacity.setup(), 50), millis(capacity.setup(), 99), capacity.setup().getMaxValue() / 1e6,
                    bytes(capacity.heapPerConnection()), bytes(capacity.rssPerConnection()),
                    capacity.firstFailure() == null ? "" : "; first failure: " + capacity.firstFailure());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("requested", capacity.requested());
            c.put("opened", capacity.opened());
            c.put("connect_rate_per_s", connectRate);
            c.put("connect_concurrency", connectConcurrency);
            c.put("setup_p50_ms", millis(capacity.setup(), 50));
            c.put("setup_p99_ms", millis(capacity.setup(), 99));
            c.put("heap_before_bytes", capacity.before().heap());
            c.put("heap_after_bytes", capacity.after().heap());
            c.put("heap_per_connection_bytes", capacity.heapPerConnection());
            c.put("rss_per_connection_bytes", capacity.rssPerConnection());
            json.put(name.equals(clients.get(0)) ? "connections" : "connections_" + name, c);
            idle.forEach(Device::close);
        }
        for (String name : storm > 0 ? clients : List.<String>of()) {
            List<Connector> stormClients = IntStream.range(0, 4).mapToObj(c -> Connector.named(name,
                    HttpClient.newBuilder().executor(Runnable::run).build())).toList();
            ReconnectStorm.Result r = new ReconnectStorm(platform, stormClients, spread)
                    .run(storm, stormSeconds, 4, gatewayPid);
            System.out.printf("reconnect storm (%s client): %d of %d devices within %d s: all connected after %.1f s, "
                    + "%d refusals with retry_after_ms, %d failed attempts with no readable reason (a browser-like client "
                    + "cannot read a refused upgrade's status; retried after 1-2 s); admitted setup p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms; first attempt to connected p50 %.0f ms, p99 %.0f ms; gateway heap %s/connection, "
                    + "RSS %s/connection%s%n", name, r.connected(), r.devices(), stormSeconds, r.allConnectedSeconds(),
                    r.refused(), r.failed(), millis(r.setup(), 50), millis(r.setup(), 99), r.setup().getMaxValue() / 1e6,
                    millis(r.toConnected(), 50), millis(r.toConnected(), 99), bytes(r.heapPerConnection()),
                    bytes(r.rssPerConnection()), r.firstFailure() == null ? "" : "; first failure: " + r.firstFailure());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("devices", r.devices());
            s.put("window_s", stormSeconds);
            s.put("connected", r.connected());
            s.put("all_connected_s", r.allConnectedSeconds());
            s.put("refused", r.refused());
            s.put("failed", r.failed());
            s.put("setup_p50_ms", millis(r.setup(), 50));
            s.put("setup_p99_ms", millis(r.setup(), 99));
            s.put("setup_max_ms", r.setup().getMaxValue() / 1e6);
            s.put("to_connected_p50_ms", millis(r.toConnected(), 50));
            s.put("to_connected_p99_ms", millis(r.toConnected(), 99));
            s.put("heap_per_connection_bytes", r.heapPerConnection());
            s.put("rss_per_connection_bytes", r.rssPerConnection());
            json.put(name.equals(clients.get(0)) ? "storm" : "storm_" + name, s);
        }
        System.out.println(toJson(json));
        System.exit(0);
    }


    /**
     * The same fixed-rate run, clients and devices against {@link WebSocketFloor} (a relay with nothing
     * behind it) in its own JVM on these cores: what the WebSocket legs and the clients cost by themselves.
     */
    private static void webSocketFloor(List<String> clients, HttpClient http, int users, int devices, int rate,
                                       int seconds, int warmup, Map<String, Object> json) throws Exception {
        try (WebSocketFloor.Running relay = WebSocketFloor.launch()) {
            CPU.track("ws-floor", relay.process().pid());
            throughFloor(new Platform(relay.url()), "floor", "WebSocket floor (a bare relay)", clients, http, users,
                    devices, rate, seconds, warmup, "ws_floor", LoadGenerator::result, json);
        } finally {
            CPU.untrack("ws-floor");
        }
    }

    /**
     * The same fixed-rate run against {@link WebSocketFloor} in its Kafka mode: the platform's two Kafka hops
     * (gateway to processor to gateway, on the same broker, with the same client settings and partitions) and
     * the same WebSocket legs, with none of our work on them. Its CPU per op (relay + hop + broker) is what the
     * architecture costs on this machine before any of ours. {@code linger} (ms, {@code --kafka-floor-linger})
     * lets both its producers batch, to see what batching would trade.
     */
    private static void kafkaFloor(String kafka, int linger, List<String> clients, HttpClient http, int users,
                                   int devices, int rate, int seconds, int warmup, Map<String, Object> json)
            throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        String ops = "bench.floor.ops." + run;
        String state = "bench.floor.state." + run;
        int partitions = 12; // as the op log and the state topic of bin/sync-local
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(ops, partitions, (short) 1), new NewTopic(state, partitions,
                    (short) 1))).all().get();
            Process hop = OwnJvm.of(List.of("-Xms256m", "-Xmx256m"), KafkaHop.class, kafka, ops, state,
                    Integer.toString(partitions), Integer.toString(linger)).redirectErrorStream(true).start();
            try (WebSocketFloor.Running relay = WebSocketFloor.launch(kafka, ops, state, Integer.toString(partitions),
                    Integer.toString(linger))) {
                awaitReady(hop);
                CPU.track("floor-relay", relay.process().pid());
                CPU.track("floor-hop", hop.pid());
                throughFloor(new Platform(relay.url()), "kafka-floor", "Kafka floor (two bare hops)", clients, http,
                        users, devices, rate, seconds, warmup, "kafka_floor", result -> {
                            Map<String, Long> cpu = result.cpu().usPerOp();
                            long floor = cpu.getOrDefault("floor-relay", 0L) + cpu.getOrDefault("floor-hop", 0L)
                                    + cpu.getOrDefault("broker", 0L);
                            System.out.printf("           the Kafka floor's CPU per op (relay + hop + broker): %d µs%n",
                                    floor);
                            Map<String, Object> m = result(result);
                            m.put("floor_cpu_us_per_op", floor);
                            return m;
                        }, json);
            } finally {
                CPU.untrack("floor-relay");
                CPU.untrack("floor-hop");
                hop.destroy();
                hop.waitFor();
                admin.deleteTopics(List.of(ops, state)).all().get();
            }
        }
    }

    /**
     * The fixed-rate run through a floor, for each client, recorded under {@code key} (the first client's)
     * and {@code key_<client>} (the others').
     */
    private static void throughFloor(Platform floor, String id, String label, List<String> clients, HttpClient http,
                                     int users, int devices, int rate, int seconds, int warmup, String key,
                                     Function<PropagationRun.Result, Map<String, Object>> record,
                                     Map<String, Object> json) {
        for (String name : clients) {
            List<List<Device>> fleet = openFleet(floor, Connector.named(name, http), users, devices);
            PropagationRun.Result result = propagate(fleet, id + "-" + name, rate, seconds,
                    name.equals(clients.get(0)) ? warmup / 2 : warmup / 4);
            print(label + ", " + name + " client", result);
            json.put(name.equals(clients.get(0)) ? key : key + "_" + name, record.apply(result));
            fleet.forEach(devicesOfUser -> devicesOfUser.forEach(Device::close));
        }
    }

    /** Waits for {@link KafkaHop}'s {@code ready}, then lets its output go. */
    private static void awaitReady(Process hop) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(hop.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.equals("ready")) {
            System.out.println("kafka-floor hop: " + line);
        }
        if (line == null) {
            throw new IllegalStateException("the Kafka floor's hop ended before it was ready");
        }
        Thread drain = new Thread(() -> {
            try {
                lines.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // the hop ended
            }
        }, "kafka-floor-hop-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Rates up to the first that is not sustained; records the highest with p99 < 100 ms and the highest sustained. */
    private static void stepUp(List<List<Device>> fleet, List<Integer> steps, int stepSeconds, Map<String, Object> json)
            throws InterruptedException {
        // Steps go on past the latency bound while the platform keeps up: every op acked and propagated,
        // with the lag bounded (p99 under a second) instead of growing over the step.
        PropagationRun.Result fast = null;
        PropagationRun.Result sustained = null;
        List<Map<String, Object>> stepped = new ArrayList<>();
        for (int step : steps) {
            PropagationRun.Result result = propagate(fleet, "step" + step, step, stepSeconds, 3);
            print("step", result);
            stepped.add(result(result));
            boolean delivered = result.acked() >= result.sent() && result.propagated() >= result.sent()
                    && result.errors() == 0;
            if (!delivered || millis(result.propagation(), 99) >= 1000) {
                break;
            }
            sustained = result;
            if (millis(result.propagation(), 99) < 100 && (fast == null || fast.rate() < result.rate())) {
                fast = result;
            }
        }
        json.put("steps", stepped);
        if (!steps.isEmpty()) {
            json.put("max_rate_p99_under_100ms", fast == null ? 0 : fast.rate());
            json.put("max_rate_sustained", sustained == null ? 0 : sustained.rate());
            System.out.printf("highest rate with propagation p99 < 100 ms: %s%n",
                    fast == null ? "below the first step" : fast.rate() + " ops/s");
            System.out.printf("highest rate sustained (all delivered, propagation p99 < 1 s): %s%n",
                    sustained == null ? "below the first step" : sustained.rate() + " ops/s");
        }
    }

    private static List<List<Device>> openFleet(Platform platform, Connector connector, int users, int devices) {
        List<List<Device>> fleet = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "bench-" + u;
            String token = platform.token(user);
            List<CompletableFuture<Device>> opening = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String id = "bench-" + d;
                opening.add(connector.connect(platform.webSocket("127.0.0.1", id), token, user, id,
                        (device, frame) -> {
                            PropagationRun run = RUN.get();
                            if (run != null) {
                                run.onFrame(device, frame);
                            }
                        }));
            }
            fleet.add(opening.stream().map(CompletableFuture::join).toList());
        }
        return fleet;
    }

    private static PropagationRun.Result propagate(List<List<Device>> fleet, String id, int rate, int seconds,
                                                   int warmup) {
        // op ids must be new on every run: the processor applies a device's op id only once
        String runId = id + Long.toString(System.currentTimeMillis(), 36);
        PropagationRun run = new PropagationRun(fleet, runId, rate, seconds, warmup);
        RUN.set(run);
        try {
            return run.run(CPU, gcLogs);
        } finally {
            RUN.set(null);
        }
    }

    private static void print(String label, PropagationRun.Result r) {
        System.out.printf("%-10s %6d ops/s offered: %d sent, %d acked, %d propagated, %d errors | ack p50 %.2f p99 %.2f ms"
                        + " | propagation p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms%n", label, r.rate(), r.sent(),
                r.acked(), r.propagated(), r.errors(), millis(r.ack(), 50), millis(r.ack(), 99),
                millis(r.propagation(), 50), millis(r.propagation(), 90), millis(r.propagation(), 99),
                millis(r.propagation(), 99.9), r.propagation().getMaxValue() / 1e6);
        ProcessCpu.Window cpu = r.cpu();
        if (cpu.usPerOp().size() > 1) {
            System.out.printf("           steady state, %.1f s, %d ops: CPU per op %s µs; context switches per op %s;"
                            + " cores %s (platform = gateway + processor + broker; the rest apart)%n",
                    cpu.seconds(), cpu.ops(), cpu.usPerOp(), cpu.switchesPerOp(), cpu.cores());
            System.out.printf("           the machine: %.2f cores busy, %.1f context switches per op; every process's"
                    + " CPU time is %.1f%% of the machine's busy time (the readings agree at 100%%)%n",
                    cpu.machineCores(), cpu.machineSwitchesPerOp(), cpu.accounted() * 100);
            if (!cpu.perf().isEmpty()) {
                System.out.printf("           perf stat over the same window: %s%n", cpu.perf());
            }
        }
        StallReport.Result stalls = r.stalls();
        if (stalls != null) {
            System.out.printf("           stalls: of %d updates at or above p99, %s overlapped a JVM stop of %.0f ms or more"
                            + " (by JVM: %s), %d none; stops in the window: %s%n", stalls.slow(),
                    stalls.slow() - stalls.unexplained(), StallReport.SIGNIFICANT_MS, stalls.explainedBy(),
                    stalls.unexplained(), stalls.stops());
        }
    }

    private static Map<String, Object> result(PropagationRun.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", r.rate());
        m.put("sent", r.sent());
        m.put("acked", r.acked());
        m.put("propagated", r.propagated());
        m.put("errors", r.errors());
        m.put("ack_p50_ms", millis(r.ack(), 50));
        m.put("ack_p99_ms", millis(r.ack(), 99));
        m.put("propagation_p50_ms", millis(r.propagation(), 50));
        m.put("propagation_p90_ms", millis(r.propagation(), 90));
        m.put("propagation_p99_ms", millis(r.propagation(), 99));
        m.put("propagation_p999_ms", millis(r.propagation(), 99.9));
        m.put("propagation_max_ms", r.propagation().getMaxValue() / 1e6);
        m.put("cpu_window_seconds", r.cpu().seconds());
        m.put("cpu_us_per_op", r.cpu().usPerOp());
        m.put("context_switches_per_op", r.cpu().switchesPerOp());
        m.put("cores", r.cpu().cores());
        m.put("machine_cores", r.cpu().machineCores());
        m.put("machine_context_switches_per_op", r.cpu().machineSwitchesPerOp());
        m.put("processes_over_machine_busy", r.cpu().accounted());
        m.put("perf_stat", r.cpu().perf());
        StallReport.Result stalls = r.stalls();
        if (stalls != null) {
            m.put("slow_updates", stalls.slow());
            m.put("slow_updates_during_jvm_stops", stalls.explainedBy());
            m.put("slow_updates_without_jvm_stop", stalls.unexplained());
            m.put("jvm_stops", stalls.stops());
        }
        return m;
    }

    static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static String bytes(long bytes) {
        return bytes < 0 ? "n/a" : bytes < 10_240 ? bytes + " B" : String.format("%.1f KiB", bytes / 1024.0);
    }

    static int number(Map<String, String> options, String name, int otherwise) {
        String value = options.get(name);
        return value == null ? otherwise : Integer.parseInt(value);
    }

    /** {@code --option value} pairs; an option followed by another option or by nothing is a flag ("true"). */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            options.put(args[i].substring(2), flag ? "true" : args[++i]);
        }
        return options;
    }

    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + toJson(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LoadGenerator::toJson).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof String s) {
            return "\"" + s.replace("\"", "\\\"") + "\"";
        }
        if (value instanceof Double d) {
            return d.isNaN() ? "null" : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(value);
    }

    private LoadGenerator() {
    }
}
