package dev.mediasync.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.EndToEndLatency;

/**
 * Kafka's own {@code EndToEndLatency} tool (kafka-tools) on the same broker: one produce (acks=all) to
 * consume hop, one message at a time. Our pipeline has two such hops, so it is the floor to compare with.
 */
final class KafkaFloor {

    record Result(double averageMs, int p50Ms, int p99Ms, int p999Ms, String output) {
    }

    private static final Pattern AVERAGE = Pattern.compile("Avg latency: ([0-9.]+) ms");
    private static final Pattern PERCENTILES = Pattern.compile("50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

    /** Runs the tool in its own JVM (it ends with {@code Exit}), from this jar's classpath. */
    static Result run(String bootstrap, int messages) throws IOException, InterruptedException {
        String topic = "bench.e2e-latency." + System.currentTimeMillis();
        Process process = OwnJvm.of(List.of(), EndToEndLatency.class, bootstrap, topic, Integer.toString(messages),
                "all", "200").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher average = AVERAGE.matcher(output);
        Matcher percentiles = PERCENTILES.matcher(output);
        if (!average.find() || !percentiles.find()) {
            throw new IllegalStateException("unexpected EndToEndLatency output:\n" + output);
        }
        return new Result(Double.parseDouble(average.group(1)), Integer.parseInt(percentiles.group(1)),
                Integer.parseInt(percentiles.group(2)), Integer.parseInt(percentiles.group(3)), output);
    }

    private KafkaFloor() {
    }
}
