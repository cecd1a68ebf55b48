package dev.mediasync.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A Kafka node in KRaft mode (broker and controller in one process), running Kafka's own server code.
 * Its log directory is formatted on first start and reused afterwards, so data survives restarts.
 * Usage: {@code LocalKafka [--data-dir DIR] [--port 9092] [--controller-port 9093] [--set key=value]…}
 * ({@code --set} takes any broker setting) starts a single-node cluster. With {@code --node-id N --voters
 * 1@host:port,2@host:port,3@host:port} (the controller endpoints of every node) the process is node N of
 * a cluster: start one per voter, each with its own data dir and ports. A cluster of three or more
 * replicates Kafka's internal topics three times and sets {@code min.insync.replicas=2}.
 */
public final class LocalKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats {@code dataDir} if it is new, then starts the broker and returns once it serves. */
    public static LocalKafka start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, new Properties());
    }

    /** @param overrides further broker settings, applied last */
    public static LocalKafka start(Path dataDir, int port, int controllerPort, Properties overrides) {
        return start(dataDir, port, controllerPort, Cluster.SINGLE, overrides);
    }

    /** Starts node {@code cluster.nodeId()} of a cluster whose controllers are {@code cluster.voters()}. */
    public static LocalKafka start(Path dataDir, int port, int controllerPort, Cluster cluster, Properties overrides) {
        Properties config = serverProperties(dataDir, port, controllerPort);
        if (cluster.isMultiNode()) {
            cluster.configure(config);
        }
        config.putAll(overrides);
        formatIfNew(dataDir, config, cluster);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, "127.0.0.1:" + port);
    }

    static Properties serverProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // One node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Nobody else will join: do not wait 3 s before the first rebalance of a group.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "12");
        return p;
    }

    private static void formatIfNew(Path dataDir, Properties config, Cluster cluster) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path file = Files.createTempFile("local-kafka", ".properties");
            try (Writer writer = Files.newBufferedWriter(file)) {
                config.store(writer, "local-kafka");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String[] format = cluster.isMultiNode()
                    ? new String[] {"format", "-t", cluster.clusterId(), "-c", file.toString()}
                    : new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", file.toString()};
            int status = StorageTool.execute(format, new PrintStream(out, true, StandardCharsets.UTF_8));
            Files.delete(file);
            if (status != 0) {
                throw new IllegalStateException("formatting " + dataDir + " failed: " + out.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    public static void main(String[] args) {
        Path dataDir = Path.of("data/kafka");
        int port = 9092;
        int controllerPort = 9093;
        Properties overrides = new Properties();
        int nodeId = 1;
        String voters = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--node-id" -> nodeId = Integer.parseInt(args[i + 1]);
                case "--voters" -> voters = args[i + 1];
                case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--controller-port" -> controllerPort = Integer.parseInt(args[i + 1]);
                case "--set" -> overrides.put(args[i + 1].substring(0, args[i + 1].indexOf('=')),
                        args[i + 1].substring(args[i + 1].indexOf('=') + 1));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Cluster cluster = voters == null ? Cluster.SINGLE : new Cluster(nodeId, voters);
        LocalKafka kafka = start(dataDir, port, controllerPort, cluster, overrides);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "local-kafka-shutdown"));
        System.out.println("local-kafka: KRaft node " + cluster.nodeId() + " ready on " + kafka.bootstrapServers()
                + ", data in " + dataDir.toAbsolutePath());
        kafka.server.awaitShutdown();
    }
}
