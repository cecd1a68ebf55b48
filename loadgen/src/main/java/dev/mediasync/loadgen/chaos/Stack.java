package dev.mediasync.loadgen.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The platform as separate processes on this machine, started from the built jars: three Kafka nodes
 * (one KRaft cluster, three replicas, {@code min.insync.replicas=2}), two processors (one standby each) and
 * two gateways, each with its own log. Parts are killed with SIGKILL and started again by name.
 */
final class Stack implements AutoCloseable {

    static final String QUERY_TOKEN = "chaos-query-token-0123456789abcdef";
    static final String JWT_SECRET = "chaos-jwt-secret-not-for-production-0123456789";
    /** Ops are sealed with per-user data keys, as in every shipped setup (docs/privacy.md). */
    static final String KEK = java.util.Base64.getEncoder().encodeToString(
            "chaos-key-encryption-key-32bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    static final String OPERATOR_TOKEN = "chaos-operator-token-0123456789";
    static final List<String> BROKERS = List.of("broker-1", "broker-2", "broker-3");
    static final List<String> PROCESSORS = List.of("processor-1", "processor-2");
    static final List<String> GATEWAYS = List.of("gateway-1", "gateway-2");

    /** How to start one part and how to tell it is ready. */
    private record Part(String name, List<String> command, Path log, int port, String readinessPath, Path data) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final int basePort;

    Stack(Path root, Path work, int basePort) {
        this.basePort = basePort;
        String version = "0.1.0-SNAPSHOT";
        String voters = IntStream.rangeClosed(1, 3).mapToObj(i -> i + "@127.0.0.1:" + controllerPort(i))
                .collect(Collectors.joining(","));
        for (int i = 1; i <= 3; i++) {
            add(new Part("broker-" + i, command(jvm("384m",
                    root.resolve("local-kafka/target/local-kafka-" + version + "-exec.jar").toString()),
                    "--data-dir", work.resolve("broker-" + i).toString(), "--port", Integer.toString(brokerPort(i)),
                    "--controller-port", Integer.toString(controllerPort(i)), "--node-id", Integer.toString(i),
                    "--voters", voters), work.resolve("logs/broker-" + i + ".log"), brokerPort(i), null,
                    work.resolve("broker-" + i)));
        }
        String processorUrls = IntStream.rangeClosed(1, 2).mapToObj(i -> "http://localhost:" + processorPort(i))
                .collect(Collectors.joining(","));
        for (int i = 1; i <= 2; i++) {
            Path state = work.resolve("processor-" + i);
            add(new Part("processor-" + i, command(jvm("384m",
                    root.resolve("state-processor/target/state-processor-" + version + "-exec.jar").toString()),
                    "--server.port=" + processorPort(i), "--management.server.port=" + (processorPort(i) + 10),
                    "--spring.kafka.bootstrap-servers=" + bootstrap(),
                    "--sync.processor.state-dir=" + state, "--sync.processor.advertised-url=localhost:" + processorPort(i),
                    "--sync.processor.replication-factor=3", "--sync.processor.standby-replicas=1"),
                    work.resolve("logs/processor-" + i + ".log"), processorPort(i) + 10, "/actuator/health/readiness",
                    state));
        }
        for (int i = 1; i <= 2; i++) {
            add(new Part("gateway-" + i, command(jvm("512m",
                    root.resolve("gateway/target/gateway-" + version + "-exec.jar").toString()),
                    "--server.port=" + gatewayPort(i), "--spring.kafka.bootstrap-servers=" + bootstrap(),
                    "--sync.gateway.processor-url=" + processorUrls, "--sync.security.dev-tokens=true",
                    "--sync.gateway.slot=" + (i - 1)),
                    work.resolve("logs/gateway-" + i + ".log"), gatewayPort(i), "/actuator/health/readiness", null));
        }
    }

    private void add(Part part) {
        parts.put(part.name(), part);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Seven JVMs share this machine's cores: C1 only and the serial collector keep each one's compiler
     * and GC threads from starving the others (a restarted part needed 80 s to start with the defaults).
     */
    private static List<String> jvm(String heap, String jar) {
        return List.of(java(), "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar);
    }

    private static List<String> command(List<String> jvm, String... args) {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of(args));
        return command;
    }

    int brokerPort(int node) {
        return basePort + 100 * node;
    }

    private int controllerPort(int node) {
        return brokerPort(node) + 1;
    }

    int processorPort(int i) {
        return basePort + 500 + i;
    }

    int gatewayPort(int i) {
        return basePort + 600 + i;
    }

    String bootstrap() {
        return IntStream.rangeClosed(1, 3).mapToObj(i -> "127.0.0.1:" + brokerPort(i)).collect(Collectors.joining(","));
    }

    List<URI> gateways() {
        return IntStream.rangeClosed(1, 2).mapToObj(i -> URI.create("http://127.0.0.1:" + gatewayPort(i))).toList();
    }

    /** Starts every part and waits until all are ready. */
    void startAll(Duration timeout) {
        for (Part part : parts.values()) {
            if (isListening(part.port())) {
                throw new IllegalStateException("port " + part.port() + " (" + part.name() + ") is in use: another "
                        + "sync-chaos running? Choose other ports with --base-port");
            }
        }
        BROKERS.forEach(this::start);
        awaitReady(BROKERS, timeout);
        PROCESSORS.forEach(this::start);
        GATEWAYS.forEach(this::start);
        awaitReady(new ArrayList<>(parts.keySet()), timeout);
    }

    void start(String name) {
        Part part = parts.get(name);
        try {
            Files.createDirectories(part.log().getParent());
            Files.writeString(part.log(), "\n===== started by sync-chaos =====\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(part.command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(part.log().toFile()));
            builder.environment().put("SYNC_PROCESSOR_QUERY_TOKEN", QUERY_TOKEN);
            builder.environment().put("SYNC_GATEWAY_PROCESSOR_TOKEN", QUERY_TOKEN);
            builder.environment().put("SYNC_SECURITY_JWT_SECRET", JWT_SECRET);
            builder.environment().put("SYNC_PRIVACY_KEK", KEK);
            builder.environment().put("SYNC_PRIVACY_OPERATOR_TOKEN", OPERATOR_TOKEN);
            running.put(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no leaving the group, nothing flushed. */
    void kill(String name) {
        Process process = running.remove(name);
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /** Deletes a stopped part's data (a processor's RocksDB stores). */
    void wipe(String name) {
        Path data = parts.get(name).data();
        if (data == null || !Files.exists(data)) {
            return;
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitReady(List<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String name : names) {
            while (!isReady(name)) {
                Process process = running.get(name);
                if (process == null || !process.isAlive()) {
                    throw new IllegalStateException(name + " exited; see " + parts.get(name).log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not ready after " + timeout + "; see "
                            + parts.get(name).log());
                }
                pause(200);
            }
        }
    }

    boolean isReady(String name) {
        Part part = parts.get(name);
        if (part.readinessPath() == null) {
            return isListening(part.port());
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + part.port() + part.readinessPath())).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Path log(String name) {
        return parts.get(name).log();
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gateways and processors first, the brokers last and together: a KRaft node stopped after its peers
     * waits for a quorum that is gone. Whatever does not stop within its grace period is killed.
     */
    @Override
    public synchronized void close() {
        List<String> services = running.keySet().stream().filter(name -> !name.startsWith("broker")).toList();
        stopTogether(services, Duration.ofSeconds(20));
        stopTogether(new ArrayList<>(running.keySet()), Duration.ofSeconds(10));
    }

    private void stopTogether(List<String> names, Duration grace) {
        List<Process> processes = names.stream().map(running::remove).filter(Objects::nonNull).toList();
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process process : processes) {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
