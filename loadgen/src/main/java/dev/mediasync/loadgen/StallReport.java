package dev.mediasync.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which JVM stopped while the slowest updates were on their way: each JVM of {@code bin/sync-local} (and
 * the load generator, when run by {@code bin/sync-bench}) logs its safepoints ({@code -Xlog:safepoint},
 * GC pauses among them) with the time each ended and how long it stopped the JVM. An update slower than
 * p99 whose path overlapped a stop of 5 ms or more in some JVM is counted against that JVM; the rest are
 * stalls the JVMs did not cause (the scheduler, I/O, a queue).
 */
final class StallReport {

    /** A stop of a JVM's threads this long or longer explains a slow update that overlapped it. */
    static final double SIGNIFICANT_MS = 5;

    private static final Pattern SAFEPOINT = Pattern.compile(
            "^\\[([^\\]]+)\\].*Safepoint \"([^\"]+)\".*Total: (\\d+) ns");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** One stop of a JVM: it ended at {@code endEpochMs} after {@code millis}. */
    record Stop(String jvm, String operation, long endEpochMs, double millis) {

        boolean overlaps(long fromMs, long toMs) {
            return endEpochMs >= fromMs && endEpochMs - millis <= toMs;
        }
    }

    /**
     * @param slow          updates at or above p99
     * @param explainedBy   of those, how many overlapped a significant stop of each JVM (one may count twice)
     * @param unexplained   how many overlapped no significant stop anywhere
     * @param stops         per JVM: significant stops in the window, their total and longest ms
     */
    record Result(int slow, Map<String, Integer> explainedBy, int unexplained, Map<String, String> stops) {
    }

    private StallReport() {
    }

    /** @return null when no JVM logged a stop or no update was slow */
    static Result of(List<PropagationRun.SlowUpdate> slow, List<Stop> stops, long windowStartMs, long windowEndMs) {
        if (slow.isEmpty() || stops.isEmpty()) {
            return null;
        }
        Map<String, List<Stop>> byJvm = new TreeMap<>(stops.stream().collect(Collectors.groupingBy(Stop::jvm)));
        Map<String, Integer> explained = new LinkedHashMap<>();
        int unexplained = 0;
        for (PropagationRun.SlowUpdate update : slow) {
            long to = update.dueEpochMs() + Math.round(update.millis());
            boolean any = false;
            for (Map.Entry<String, List<Stop>> jvm : byJvm.entrySet()) {
                if (jvm.getValue().stream().anyMatch(s -> s.millis() >= SIGNIFICANT_MS
                        && s.overlaps(update.dueEpochMs(), to))) {
                    explained.merge(jvm.getKey(), 1, Integer::sum);
                    any = true;
                }
            }
            if (!any) {
                unexplained++;
            }
        }
        Map<String, String> summary = new LinkedHashMap<>();
        byJvm.forEach((jvm, all) -> {
            List<Stop> in = all.stream().filter(s -> s.overlaps(windowStartMs, windowEndMs)).toList();
            double total = in.stream().mapToDouble(Stop::millis).sum();
            Stop longest = in.stream().max(Comparator.comparingDouble(Stop::millis)).orElse(null);
            long significant = in.stream().filter(s -> s.millis() >= SIGNIFICANT_MS).count();
            summary.put(jvm, String.format("%d stops, %.0f ms in all, %d of %.0f ms or more%s", in.size(), total,
                    significant, SIGNIFICANT_MS, longest == null ? ""
                            : String.format(", longest %.1f ms (%s)", longest.millis(), longest.operation())));
        });
        return new Result(slow.size(), explained, unexplained, summary);
    }

    /** The stops in every {@code <jvm>-gc.log*} of {@code dir}. */
    static List<Stop> read(Path dir) {
        List<Stop> stops = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(".+-gc\\.log(\\.\\d+)?")).toList()) {
                String jvm = file.getFileName().toString().replaceFirst("-gc\\.log(\\.\\d+)?$", "");
                for (String line : Files.readAllLines(file)) {
                    Stop stop = parse(jvm, line);
                    if (stop != null) {
                        stops.add(stop);
                    }
                }
            }
        } catch (IOException e) {
            // no logs there: nothing to match
        }
        return stops;
    }

    static Stop parse(String jvm, String line) {
        Matcher m = SAFEPOINT.matcher(line);
        if (!m.find()) {
            return null;
        }
        long end = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
        return new Stop(jvm, m.group(2), end, Long.parseLong(m.group(3)) / 1e6);
    }
}
