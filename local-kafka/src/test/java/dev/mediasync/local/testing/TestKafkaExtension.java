package dev.mediasync.local.testing;

import dev.mediasync.local.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** Starts the broker of a {@link TestKafka} class once and closes it after the class. */
public final class TestKafkaExtension implements BeforeAllCallback, ParameterResolver {

    /** The image the container runs: the same Kafka as the in-process broker and docker-compose.yml. */
    public static final String IMAGE = "apache/kafka:4.1.1";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestKafkaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static TestBroker broker(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        TestKafka settings = AnnotationSupport.findAnnotation(testClass, TestKafka.class).orElseThrow();
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(testClass, key -> start(settings), Running.class);
    }

    private static Running start(TestKafka settings) {
        String mode = System.getProperty("sync.kafka", "auto");
        boolean docker = mode.equals("docker") || (mode.equals("auto") && dockerAvailable());
        Running running = docker ? container(settings) : inProcess(settings);
        System.out.println("Kafka for tests: " + running.kind() + " at " + running.bootstrapServers()
                + (docker ? "" : " (no Docker here; -Pdocker runs " + IMAGE + " in a container)"));
        createTopics(running.bootstrapServers(), settings);
        return running;
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false; // asking Testcontainers would only try every strategy and log each failure
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Running container(TestKafka settings) {
        KafkaContainer kafka = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_NUM_PARTITIONS", Integer.toString(settings.partitions()));
        for (String setting : settings.broker()) { // the image maps KAFKA_LOG_CLEANER_BACKOFF_MS to log.cleaner.backoff.ms
            String name = setting.substring(0, setting.indexOf('='));
            kafka.withEnv("KAFKA_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'),
                    setting.substring(setting.indexOf('=') + 1));
        }
        kafka.start();
        return new Running(kafka.getBootstrapServers(), "docker (" + IMAGE + ")", kafka::stop);
    }

    private static Running inProcess(TestKafka settings) {
        try {
            Path dir = Files.createTempDirectory("test-kafka");
            Properties overrides = new Properties();
            overrides.put("num.partitions", Integer.toString(settings.partitions()));
            for (String setting : settings.broker()) {
                overrides.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
            LocalKafka kafka = LocalKafka.start(dir, freePort(), freePort(), overrides);
            return new Running(kafka.bootstrapServers(), "in-process", () -> {
                kafka.close();
                delete(dir);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createTopics(String bootstrapServers, TestKafka settings) {
        if (settings.topics().length == 0) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(Arrays.stream(settings.topics())
                    .map(name -> new NewTopic(name, settings.partitions(), (short) 1)).toList()).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create the test topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the OS cleans it up anyway
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Closed by JUnit when the test class is done. */
    private record Running(String bootstrapServers, String kind, Runnable stop)
            implements TestBroker, ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            stop.run();
        }
    }
}
