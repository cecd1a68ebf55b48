package dev.mediasync.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time and context switches of the platform's processes on this machine, from {@code /proc}, found by
 * the jar each runs; so a run can say how many µs of CPU and how many context switches each process spent
 * per op, not only how fast ops went. Each reading also takes the machine's own counters
 * ({@code /proc/stat}: busy time, context switches) and the CPU time of every process on it, so a window
 * can show that the per-process readings account for what the kernel counted as busy. Linux only:
 * elsewhere (or for a remote platform) it finds nothing and says so.
 */
final class ProcessCpu {

    /** The kernel's clock ticks per second for these counters (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;
    /** The processes looked for, by the jar each runs (as built, or extracted by bin/sync-local), in print order. */
    private static final Map<String, String> JARS = new LinkedHashMap<>();

    static {
        JARS.put("gateway", "gateway-0.1.0-SNAPSHOT-exec");
        JARS.put("processor", "state-processor-0.1.0-SNAPSHOT-exec");
        JARS.put("broker", "local-kafka-0.1.0-SNAPSHOT-exec");
        JARS.put("relay", "pubnub-relay-0.1.0-SNAPSHOT-exec");
        JARS.put("trending", "trending-0.1.0-SNAPSHOT-exec");
    }

    /** The platform's own three; relay, trending and the load generator are counted apart. */
    private static final Set<String> PLATFORM = Set.of("gateway", "processor", "broker");

    private final Map<String, Long> pids = new LinkedHashMap<>();

    ProcessCpu() {
        findMissing();
        pids.put("loadgen", ProcessHandle.current().pid());
    }

    /**
     * One reading.
     *
     * @param seconds           CPU seconds (user + system) of each process found
     * @param switches          context switches (voluntary and not) of each process found, its threads summed
     * @param allProcesses      CPU seconds of every process on the machine, kernel threads included
     * @param machineBusy       the machine's user + nice + system seconds ({@code /proc/stat})
     * @param machineSwitches   the machine's context switches ({@code /proc/stat ctxt})
     */
    record Sample(long nanos, Map<String, Double> seconds, Map<String, Long> switches, double allProcesses,
                  double machineBusy, long machineSwitches) {
    }

    /**
     * What one window between two readings cost, over the ops due in it.
     *
     * @param usPerOp       µs of CPU per op of each process, and {@code platform} (gateway + processor + broker)
     * @param switchesPerOp context switches per op of each process, and {@code platform}
     * @param cores         the cores each process used on average, and {@code platform}
     * @param machineCores  the cores the machine was busy on average (user + system, every process)
     * @param accounted     the processes' CPU time over the machine's busy time: 1.0 when the two agree
     */
    record Window(double seconds, long ops, Map<String, Long> usPerOp, Map<String, Double> switchesPerOp,
                  Map<String, Double> cores, double machineCores, double machineSwitchesPerOp, double accounted,
                  Map<String, String> perf) {

        Window withPerf(Map<String, String> perf) {
            return new Window(seconds, ops, usPerOp, switchesPerOp, cores, machineCores, machineSwitchesPerOp,
                    accounted, perf);
        }
    }

    /** Starts {@code perf stat} on the platform's processes, for {@code seconds} from now. */
    PerfStat perfStat(long seconds) {
        Map<String, Long> platform = new LinkedHashMap<>(pids);
        platform.keySet().retainAll(PLATFORM);
        return PerfStat.start(platform, seconds);
    }

    /** Counts a process of the run's own (apart from the platform) from the next reading on. */
    void track(String name, long pid) {
        pids.put(name, pid);
    }

    void untrack(String name) {
        pids.remove(name);
    }

    /** bin/sync-local starts the relay and trending after the gateway is ready: look again for late ones. */
    private void findMissing() {
        if (pids.keySet().containsAll(JARS.keySet())) {
            return;
        }
        for (Path process : processes()) {
            String cmdline = cmdline(process);
            JARS.forEach((name, jar) -> {
                if (!pids.containsKey(name) && cmdline.contains(jar)) {
                    pids.put(name, Long.parseLong(process.getFileName().toString()));
                }
            });
        }
    }

    boolean platformFound() {
        return pids.size() > 1;
    }

    Sample sample() {
        findMissing();
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Long> switches = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            double cpu = cpuSeconds(Path.of("/proc", Long.toString(pid)));
            if (cpu >= 0) {
                seconds.put(name, cpu);
                switches.put(name, contextSwitches(pid));
            }
        });
        double all = 0;
        for (Path process : processes()) {
            all += Math.max(0, cpuSeconds(process));
        }
        double busy = 0;
        long machineSwitches = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                String[] f = line.split("\\s+");
                if (f[0].equals("cpu")) { // user nice system idle iowait irq softirq steal …, in ticks
                    busy = (Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])) / TICKS_PER_SECOND;
                } else if (f[0].equals("ctxt")) {
                    machineSwitches = Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/stat: the window says nothing about the machine
        }
        return new Sample(System.nanoTime(), seconds, switches, all, busy, machineSwitches);
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

    static Window between(Sample start, Sample end, long ops) {
        double wall = (end.nanos() - start.nanos()) / 1e9;
        Map<String, Double> switchesPerOp = new LinkedHashMap<>();
        Map<String, Double> cores = new LinkedHashMap<>();
        double platformSwitches = 0;
        double platformCores = 0;
        for (String name : end.seconds().keySet()) {
            if (!start.seconds().containsKey(name)) {
                continue;
            }
            double used = (end.seconds().get(name) - start.seconds().get(name)) / wall;
            double switches = (end.switches().get(name) - start.switches().get(name)) / (double) ops;
            cores.put(name, round(used, 3));
            switchesPerOp.put(name, round(switches, 1));
            if (PLATFORM.contains(name)) {
                platformCores += used;
                platformSwitches += switches;
            }
        }
        cores.put("platform", round(platformCores, 3));
        switchesPerOp.put("platform", round(platformSwitches, 1));
        double busy = end.machineBusy() - start.machineBusy();
        double accounted = busy <= 0 ? Double.NaN : (end.allProcesses() - start.allProcesses()) / busy;
        return new Window(round(wall, 2), ops, perOp(start.seconds(), end.seconds(), ops), switchesPerOp, cores,
                round(busy / wall, 3), round((end.machineSwitches() - start.machineSwitches()) / (double) ops, 1),
                round(accounted, 3), Map.of());
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** user + system seconds of a process (its threads, live and exited), or -1 when it is gone. */
    static double cpuSeconds(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Context switches of a process: the kernel counts them per thread, so the threads are summed (a thread
     * that ended takes its count with it: a window with threads ending reads a little low).
     */
    private static long contextSwitches(long pid) {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    private static List<Path> processes() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
        } catch (IOException e) {
            return List.of(); // no /proc: not Linux, nothing to measure
        }
    }

    private static String cmdline(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")));
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }
}
