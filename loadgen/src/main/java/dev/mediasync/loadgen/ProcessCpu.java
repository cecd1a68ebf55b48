package dev.mediasync.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time of the platform's processes on this machine, from {@code /proc/<pid>/stat} (user + system
 * time), found by the jar each runs; so a run can say how many µs of CPU each process spent per op, not
 * only how fast ops went. Linux only: elsewhere (or for a remote platform) it finds nothing and says so.
 */
final class ProcessCpu {

    /** The kernel's clock ticks per second for these counters (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;
    /** The processes looked for, by the jar each runs, in the order they are printed. */
    private static final Map<String, String> JARS = new LinkedHashMap<>();

    static {
        JARS.put("gateway", "gateway-0.1.0-SNAPSHOT-exec.jar");
        JARS.put("processor", "state-processor-0.1.0-SNAPSHOT-exec.jar");
        JARS.put("broker", "local-kafka-0.1.0-SNAPSHOT-exec.jar");
        JARS.put("relay", "pubnub-relay-0.1.0-SNAPSHOT-exec.jar");
        JARS.put("trending", "trending-0.1.0-SNAPSHOT-exec.jar");
    }

    /** The platform's own three; relay, trending and the load generator are counted apart. */
    private static final Set<String> PLATFORM = Set.of("gateway", "processor", "broker");

    private final Map<String, Long> pids = new LinkedHashMap<>();

    ProcessCpu() {
        findMissing();
        pids.put("loadgen", ProcessHandle.current().pid());
    }

    /** bin/sync-local starts the relay and trending after the gateway is ready: look again for late ones. */
    private void findMissing() {
        if (pids.keySet().containsAll(JARS.keySet())) {
            return;
        }
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(process -> {
                        String cmdline = cmdline(process);
                        JARS.forEach((name, jar) -> {
                            if (!pids.containsKey(name) && cmdline.contains(jar)) {
                                pids.put(name, Long.parseLong(process.getFileName().toString()));
                            }
                        });
                    });
        } catch (IOException e) {
            // no /proc: not Linux, nothing to measure
        }
    }

    boolean platformFound() {
        return pids.size() > 1;
    }

    /** CPU seconds so far of each process found. */
    Map<String, Double> seconds() {
        findMissing();
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // fields after the command name, which is in parentheses and may hold spaces
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu.put(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND);
            } catch (IOException | RuntimeException e) {
                // the process is gone: nothing to count
            }
        });
        return cpu;
    }

    /** µs of CPU per op of each process between two readings, and of the platform's three together. */
    static Map<String, Long> perOp(Map<String, Double> before, Map<String, Double> after, long ops) {
        Map<String, Long> perOp = new LinkedHashMap<>();
        double platform = 0;
        for (Map.Entry<String, Double> end : after.entrySet()) {
            Double start = before.get(end.getKey());
            if (start == null || ops == 0) {
                continue;
            }
            double micros = (end.getValue() - start) * 1e6 / ops;
            perOp.put(end.getKey(), Math.round(micros));
            if (PLATFORM.contains(end.getKey())) {
                platform += micros;
            }
        }
        perOp.put("platform", Math.round(platform));
        return perOp;
    }

    private static String cmdline(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")));
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }
}
