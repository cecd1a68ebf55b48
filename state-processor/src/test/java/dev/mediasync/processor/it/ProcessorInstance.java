package dev.mediasync.processor.it;

import dev.mediasync.http.BlockingHttp;
import dev.mediasync.processor.StateProcessorApplication;
import dev.mediasync.processor.streams.StreamsRunner;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.topics.QueryApi;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

/** One processor application, started as in production, on its own port and state directory. */
final class ProcessorInstance implements AutoCloseable {

    private static final MessageCodec CODEC = new MessageCodec();
    static final String QUERY_TOKEN = "it-query-token-0123456789";

    final int port;
    final int managementPort = TestSocketUtils.findAvailableTcpPort();
    private final ConfigurableApplicationContext context;

    ProcessorInstance(String brokers, Path stateDir, String applicationId, String... extraArgs) {
        this.port = TestSocketUtils.findAvailableTcpPort();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--sync.processor.state-dir=" + stateDir,
                "--sync.processor.advertised-url=localhost:" + port,
                "--sync.processor.application-id=" + applicationId,
                "--sync.processor.query-token=" + QUERY_TOKEN,
                "--management.server.port=" + managementPort));
        args.add("--sync.processor.session-timeout=6s"); // the broker's minimum
        // an extra argument replaces a default of the same name (a repeated one would be joined with a comma)
        args.removeIf(arg -> java.util.Arrays.stream(extraArgs)
                .anyMatch(extra -> extra.substring(0, extra.indexOf('=')).equals(arg.substring(0, arg.indexOf('=')))));
        args.addAll(java.util.List.of(extraArgs));
        this.context = StateProcessorApplication.application().run(args.toArray(String[]::new));
    }

    boolean isReady() {
        return context.getBean(StreamsRunner.class).isReady();
    }

    /** How many partitions of the op log this instance processes as their active owner. */
    int activePartitions() {
        return context.getBean(StreamsRunner.class).streams().metadataForLocalThreads().stream()
                .mapToInt(thread -> thread.activeTasks().stream().mapToInt(t -> (int) t.topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(dev.mediasync.topics.Topics.OPS)).count()).sum())
                .sum();
    }

    /** The user's snapshot as this instance's query API answers it, or {@code null} on a non-200. */
    Snapshot snapshot(String userId) {
        HttpResponse<String> response = get("/internal/v1/snapshot?user_id=" + URLEncoder.encode(userId,
                StandardCharsets.UTF_8));
        return response.statusCode() == 200 ? (Snapshot) CODEC.decodeServer(response.body()) : null;
    }

    /** The batch query: each asked user's answer line, decoded, in order, with its version from the header. */
    java.util.List<java.util.Map.Entry<ServerMessage, Long>> snapshots(java.util.List<String> userIds) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + QueryApi.SNAPSHOTS_PATH))
                .header(QueryApi.TOKEN_HEADER, QUERY_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(QueryApi.batchRequest(userIds))).build();
        HttpResponse<String> response = BlockingHttp.send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the batch query answered " + response.statusCode() + ": " + response.body());
        }
        QueryApi.BatchAnswer answer = QueryApi.BatchAnswer.read(response.body(),
                response.headers().firstValue(QueryApi.VERSIONS_HEADER).orElseThrow());
        return java.util.stream.IntStream.range(0, answer.lines().size())
                .mapToObj(i -> java.util.Map.entry(CODEC.decodeServer(answer.lines().get(i)), answer.versions()[i]))
                .toList();
    }

    HttpResponse<String> get(String path) {
        return get(port, path, QUERY_TOKEN);
    }

    HttpResponse<String> getWithoutToken(String path) {
        return get(port, path, null);
    }

    /** A GET of the actuator, on its own port. */
    HttpResponse<String> management(String path) {
        return get(managementPort, path, null);
    }

    private static HttpResponse<String> get(int port, String path, String token) {
        URI uri = URI.create("http://localhost:" + port + path);
        return token == null ? BlockingHttp.get(uri) : BlockingHttp.get(uri, QueryApi.TOKEN_HEADER, token);
    }

    @Override
    public void close() {
        context.close();
    }
}
