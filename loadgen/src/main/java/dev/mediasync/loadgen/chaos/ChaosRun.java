package dev.mediasync.loadgen.chaos;

import dev.mediasync.protocol.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * bin/sync-chaos: starts three brokers, two processors and two gateways, drives conflicting ops from many
 * users' devices (each keeps its ops until acked), and runs each fault in turn under that load. After each
 * fault the load pauses until every op is acked, and every device's view, a fresh snapshot and the REST
 * lists of every user are held against the oracle computed from the acked ops. Exits non-zero on any
 * lost op, diverged view, refused or unacked op.
 *
 * <p>Options: {@code --scenarios all|quick} (quick: a processor and a gateway killed), {@code --users 20},
 * {@code --period-ms 500} (each device makes an op this often when its last one is acked), {@code --after-s
 * 10} (load after the fault before the check), {@code --root .}, {@code --work-dir DIR}, {@code --base-port
 * 20000}.
 */
public final class ChaosRun {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final long SLOW_NANOS = Duration.ofSeconds(1).toNanos();

    /** One scenario's figures. */
    record Result(String scenario, int acked, int lost, int diverged, int refused, int unacked, int repeatedEvents,
                  long ackStallMs, long pushStallMs, long recoveryMs, int healthyReconnects, String notes) {

        boolean failed() {
            return lost > 0 || diverged > 0 || refused > 0 || unacked > 0;
        }
    }

    private final Stack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chaos-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final long afterFaultMs;

    private ChaosRun(Stack stack, long afterFaultMs) {
        this.stack = stack;
        this.afterFaultMs = afterFaultMs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--scenarios", "all", "--users", "20", "--period-ms", "500",
                "--after-s", "10", "--root", ".", "--base-port", "20000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i]) && !args[i].equals("--work-dir")) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        Path work = options.containsKey("--work-dir") ? Path.of(options.get("--work-dir"))
                : Files.createTempDirectory("sync-chaos");
        List<Scenario> scenarios = options.get("--scenarios").equals("quick") ? Scenario.quick() : Scenario.all();
        Stack stack = new Stack(Path.of(options.get("--root")).toAbsolutePath(), work,
                Integer.parseInt(options.get("--base-port")));
        // Ctrl-C must not leave seven JVMs behind
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "sync-chaos-shutdown"));
        List<Result> results;
        try (stack) {
            System.out.println("sync-chaos: starting 3 brokers, 2 processors, 2 gateways (logs in " + work + "/logs)");
            long started = System.nanoTime();
            stack.startAll(Duration.ofSeconds(180));
            System.out.println("sync-chaos: ready in " + Scenario.millis(System.nanoTime() - started) / 1000 + " s");
            ChaosRun run = new ChaosRun(stack, Long.parseLong(options.get("--after-s")) * 1000);
            results = run.run(scenarios, Integer.parseInt(options.get("--users")),
                    Long.parseLong(options.get("--period-ms")));
        }
        print(results);
        System.exit(results.stream().anyMatch(Result::failed) ? 1 : 0);
    }

    private List<Result> run(List<Scenario> scenarios, int users, long periodMs) throws Exception {
        Function<String, String> tokenOf = user -> tokens.computeIfAbsent(user, this::devToken);
        Workload workload = new Workload(users, stack.gateways(), tokenOf, http, timers);
        List<Result> results = new ArrayList<>();
        try (Audit audit = new Audit(http, tokenOf, stack.bootstrap())) {
            workload.start(periodMs);
            Stack.pause(5_000);
            List<ChaosDevice> busy = workload.devices().stream().filter(d -> d.id.startsWith("tv-")).limit(12).toList();
            Scenario.Context context = new Scenario.Context(busy, tokenOf, http);
            for (Scenario scenario : scenarios) {
                System.out.println("sync-chaos: " + scenario.name() + "...");
                int opsBefore = workload.ops().size();
                int reconnectsBefore = reconnects(workload);
                workload.generating(true);
                Stack.pause(3_000);
                long faultAt = System.nanoTime();
                String notes = scenario.fault().run(stack, context);
                Stack.pause(afterFaultMs);
                int healthyReconnects = reconnects(workload) - reconnectsBefore;
                Result result = check(scenario.name(), workload, audit, opsBefore, faultAt, healthyReconnects, notes);
                System.out.println("sync-chaos: " + format(result));
                results.add(result);
            }
        } finally {
            workload.stop();
        }
        return results;
    }

    private static int reconnects(Workload workload) {
        return workload.devices().stream().mapToInt(d -> d.reconnects).sum();
    }

    /** Pauses the load, waits for every ack, then holds every view against the oracle. */
    private Result check(String name, Workload workload, Audit audit, int opsBefore, long faultAt,
                         int healthyReconnects, String notes) {
        workload.generating(false);
        await(Duration.ofSeconds(120), workload::allIdle);
        List<SentOp> all = workload.ops();
        List<SentOp> window = all.subList(opsBefore, all.size());
        Map<String, ChaosDevice.View> expected = new HashMap<>();
        workload.devicesByUser().keySet().forEach(user -> expected.put(user, Oracle.expected(workload.ackedOf(user))));

        await(Duration.ofSeconds(30), () -> workload.devices().stream()
                .allMatch(d -> d.synced() && d.view().equals(expected.get(d.user))));
        int diverged = 0;
        for (ChaosDevice device : workload.devices()) {
            if (!device.synced() || !device.view().equals(expected.get(device.user))) {
                diverged++;
                System.out.println("  device view diverged: " + device.id + " (synced " + device.synced() + ") "
                        + device.view() + " expected " + expected.get(device.user));
            }
        }
        Map<String, SentOp> byId = all.stream().collect(Collectors.toMap(SentOp::opId, op -> op));
        Map<String, Integer> lastAcked = workload.lastAckedProbes();
        int lost = 0;
        int u = 0;
        for (String user : workload.devicesByUser().keySet()) {
            URI gateway = stack.gateways().get(u++ % stack.gateways().size());
            Snapshot snapshot = audit.snapshot(gateway, user);
            if (!Audit.view(snapshot).equals(expected.get(user))) {
                diverged++;
                System.out.println("  fresh snapshot diverged: " + user + " " + Audit.view(snapshot) + " expected "
                        + expected.get(user));
            }
            ChaosDevice.View rest = audit.rest(gateway, user);
            if (!rest.equals(expected.get(user))) {
                diverged++;
                System.out.println("  REST diverged: " + user + " " + rest + " expected " + expected.get(user));
            }
            for (ChaosDevice device : workload.devicesByUser().get(user)) {
                String winner = Audit.view(snapshot).progress().get(Workload.PROBE_PREFIX + device.id);
                int inSnapshot = winner == null ? 0 : byId.get(winner).probeSeq();
                lost += Math.max(0, lastAcked.getOrDefault(device.id, 0) - inSnapshot);
            }
        }
        long ackStall = 0;
        long pushStall = 0;
        long recovered = faultAt;
        int acked = 0;
        int refused = 0;
        int unacked = 0;
        for (SentOp op : window) {
            if (op.times().refusal != null) {
                refused++;
                System.out.println("  refused: " + op.opId() + " " + op.times().refusal);
                continue;
            }
            if (!op.acked()) {
                unacked++;
                continue;
            }
            acked++;
            long ack = op.times().ackedNanos - op.createdNanos();
            ackStall = Math.max(ackStall, ack);
            long done = op.times().ackedNanos;
            if (op.isProbe() && op.times().propagatedNanos > 0) {
                pushStall = Math.max(pushStall, op.times().propagatedNanos - op.createdNanos());
                done = Math.max(done, op.times().propagatedNanos);
            }
            if (done - op.createdNanos() > SLOW_NANOS) {
                recovered = Math.max(recovered, done);
            }
        }
        return new Result(name, acked, lost, diverged, refused, unacked, audit.repeatedEvents(byId),
                Scenario.millis(ackStall), Scenario.millis(pushStall), Scenario.millis(recovered - faultAt),
                healthyReconnects, notes);
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Stack.pause(100);
        }
    }

    private String devToken(String user) {
        URI gateway = stack.gateways().get(0);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/dev/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher matcher = TOKEN.matcher(response.body());
            if (response.statusCode() != 200 || !matcher.find()) {
                throw new IllegalStateException("no dev token: " + response.statusCode() + " " + response.body());
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String format(Result r) {
        return String.format("%-32s | %7d | %4d | %8d | %7d | %7d | %8d | %9d | %10d | %8d | %5d | %s", r.scenario(),
                r.acked(), r.lost(), r.diverged(), r.refused(), r.unacked(), r.repeatedEvents(), r.ackStallMs(),
                r.pushStallMs(), r.recoveryMs(), r.healthyReconnects(), r.notes());
    }

    private static void print(List<Result> results) {
        System.out.println();
        System.out.println(String.format("%-32s | %7s | %4s | %8s | %7s | %7s | %8s | %9s | %10s | %8s | %5s | %s",
                "scenario", "acked", "lost", "diverged", "refused", "unacked", "repeated", "ack stall",
                "push stall", "recovery", "recon", "notes"));
        results.forEach(r -> System.out.println(format(r)));
        System.out.println("(stalls and recovery in ms; recovery: from the fault until the last op slower than 1 s "
                + "was acked and seen by every sibling; repeated: state events a single-sent op caused twice; recon: "
                + "device reconnects during the scenario)");
        System.out.println(results.stream().anyMatch(Result::failed) ? "sync-chaos: FAILED" : "sync-chaos: passed");
    }
}
