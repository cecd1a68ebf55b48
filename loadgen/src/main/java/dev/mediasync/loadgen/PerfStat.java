package dev.mediasync.loadgen;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The independent reading beside {@link ProcessCpu}'s: {@code perf stat} (the kernel's task clock and
 * context-switch counters, not /proc's) attached to each platform process for a window's length, when
 * perf is installed.
 */
final class PerfStat {

    private final Map<String, Process> running = new LinkedHashMap<>();

    private PerfStat() {
    }

    /** @param pids the processes to read, by name */
    static PerfStat start(Map<String, Long> pids, long seconds) {
        PerfStat perf = new PerfStat();
        pids.forEach((name, pid) -> {
            try {
                perf.running.put(name, new ProcessBuilder("perf", "stat", "-x,", "-e", "task-clock,context-switches",
                        "-p", Long.toString(pid), "--", "sleep", Long.toString(seconds))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            } catch (IOException e) {
                // no perf here: no second reading
            }
        });
        return perf;
    }

    /**
     * Waits for the readings and sets them beside the window's own: per process, perf's cores and context
     * switches per op, and how far the window's cores are from perf's.
     */
    ProcessCpu.Window compare(ProcessCpu.Window window) {
        Map<String, String> compared = new LinkedHashMap<>();
        running.forEach((name, process) -> {
            try {
                String out = new String(process.getErrorStream().readAllBytes());
                process.waitFor();
                double taskClockMs = Double.NaN;
                double switches = Double.NaN;
                for (String line : out.split("\\n")) {
                    String[] f = line.split(",");
                    if (f.length > 2 && f[2].equals("task-clock")) {
                        taskClockMs = Double.parseDouble(f[0]);
                    } else if (f.length > 2 && f[2].equals("context-switches")) {
                        switches = Double.parseDouble(f[0]);
                    }
                }
                double perfCores = taskClockMs / 1000 / window.seconds();
                Double ours = window.cores().get(name);
                compared.put(name, String.format("%.3f cores, %.1f switches/op (ours %s cores, %+.1f%%)", perfCores,
                        switches / window.ops(), ours, ours == null ? Double.NaN : (ours / perfCores - 1) * 100));
            } catch (IOException | RuntimeException e) {
                compared.put(name, "no reading: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return window.withPerf(compared);
    }
}
