package dev.mediasync.gateway.e2e;

import dev.mediasync.gateway.GatewayApplication;
import dev.mediasync.http.BlockingHttp;
import dev.mediasync.processor.StateProcessorApplication;
import dev.mediasync.processor.streams.StreamsRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

/**
 * The real processor and gateways, started as in production against one broker, on free ports.
 * Shared by a test class; every test uses its own user ids.
 */
final class Platform implements AutoCloseable {

    static final String SECRET = "e2e-secret-0123456789-0123456789-0123456789";
    static final String QUERY_TOKEN = "e2e-query-token-0123456789";
    /** Every test's ops are sealed, as in every shipped configuration. */
    static final String KEK = java.util.Base64.getEncoder().encodeToString(
            "e2e-key-encryption-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    static final String OPERATOR_TOKEN = "e2e-operator-token-0123456789";

    private final String brokers;
    private final int processorPort = TestSocketUtils.findAvailableTcpPort();
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    final List<Integer> gatewayPorts = new ArrayList<>();
    private int gatewaysStarted;
    private final Map<Integer, Integer> slots = new java.util.HashMap<>();

    Platform(String brokers, String... processorArgs) {
        this.brokers = brokers;
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("e2e-processor");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + processorPort,
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--sync.processor.state-dir=" + stateDir,
                "--sync.processor.advertised-url=localhost:" + processorPort,
                "--sync.processor.application-id=e2e-" + processorPort,
                "--sync.processor.query-token=" + QUERY_TOKEN,
                "--sync.processor.kek=" + KEK,
                "--management.server.port=0"));
        args.addAll(List.of(processorArgs));
        ConfigurableApplicationContext processor = StateProcessorApplication.application()
                .run(args.toArray(String[]::new));
        apps.add(processor);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> processor.getBean(StreamsRunner.class).isReady());
    }

    /** Starts one more gateway; returns its port once it is ready. */
    int startGateway(String... extraArgs) {
        int port = startGateway(brokers, extraArgs);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> get(port, "/actuator/health/readiness").body().contains("\"UP\""));
        return port;
    }

    /** Starts a gateway whose Kafka is {@code brokers} (one that is down, say); returns once it is live. */
    int startGatewayOn(String brokers, String... extraArgs) {
        int port = startGateway(brokers, extraArgs);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> get(port, "/actuator/health/liveness").body().contains("\"UP\""));
        return port;
    }

    /**
     * Starts a gateway with the platform's settings, each with a delivery slot of its own (in start order);
     * an extra argument replaces a setting of the same name.
     */
    private int startGateway(String brokers, String... extraArgs) {
        int port = TestSocketUtils.findAvailableTcpPort();
        Map<String, String> args = new LinkedHashMap<>();
        slots.put(port, gatewaysStarted);
        for (String arg : List.of("--server.port=" + port, "--spring.kafka.bootstrap-servers=" + brokers,
                "--sync.gateway.slot=" + gatewaysStarted++,
                "--sync.gateway.processor-url=" + processorUrl(), "--sync.gateway.processor-token=" + QUERY_TOKEN,
                "--sync.security.jwt-secret=" + SECRET, "--sync.security.dev-tokens=true",
                "--sync.privacy.kek=" + KEK, "--sync.privacy.operator-token=" + OPERATOR_TOKEN)) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        for (String arg : extraArgs) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        ConfigurableApplicationContext gateway = GatewayApplication.application()
                .run(args.values().toArray(String[]::new));
        apps.add(gateway);
        gatewayPorts.add(port);
        return port;
    }

    /** Stops (cleanly, as a deploy would) the gateway on this port. */
    void stopGateway(int port) {
        int index = gatewayPorts.indexOf(port);
        apps.remove(index + 1).close(); // the processor is apps[0]
        gatewayPorts.remove(index);
    }

    /** The delivery slot of the gateway on this port (unless the test set one of its own). */
    int slotOf(int port) {
        return slots.get(port);
    }

    /** A bean of the gateway on this port. */
    <T> T gatewayBean(int port, Class<T> type) {
        return apps.get(gatewayPorts.indexOf(port) + 1).getBean(type);
    }

    /** The processor's query API. */
    String processorUrl() {
        return "http://localhost:" + processorPort;
    }

    static HttpResponse<String> get(int port, String path) {
        return BlockingHttp.get(URI.create("http://localhost:" + port + path));
    }

    static HttpResponse<String> send(HttpRequest request) {
        return BlockingHttp.send(request);
    }

    @Override
    public void close() {
        for (int i = apps.size() - 1; i >= 0; i--) {
            apps.get(i).close();
        }
    }
}
