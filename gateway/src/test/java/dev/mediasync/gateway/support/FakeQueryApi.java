package dev.mediasync.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediasync.clock.Hlc;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.topics.QueryApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * A processor's batch query API on a real socket, as the processor answers it (one NDJSON line per user,
 * the versions header), with what each user gets set by the test: the processor's own suites prove the
 * real answers; this one lets the gateway's client be tried against refusals, failures and slow answers.
 */
public final class FakeQueryApi implements AutoCloseable {

    public static final String TOKEN = "query-token-for-tests-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MessageCodec CODEC = new MessageCodec();

    private final HttpServer server;
    /** The users of each request, in the order the requests came. */
    public final List<List<String>> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger behind = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile boolean dropLastLine;

    public FakeQueryApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(QueryApi.SNAPSHOTS_PATH, this::answer);
        server.start();
    }

    public URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    /** The user's line becomes an {@code error} message with this code (its partition cannot be read). */
    public void refuse(String userId, String code) {
        errors.put(userId, code);
    }

    /** The next {@code count} requests get 503. */
    /** The next {@code count} answers show an older version (-1): the processor has not caught up yet. */
    public void behindFor(int count) {
        behind.set(count);
    }

    public void failNext(int count) {
        failNext.set(count);
    }

    /** Requests wait until {@link #release()} before they are answered. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    /** Answers one line fewer than the users asked. */
    public void dropLastLine() {
        dropLastLine = true;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst(QueryApi.TOKEN_HEADER))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            List<String> users = List.of(JSON.readValue(exchange.getRequestBody().readAllBytes(), String[].class));
            requests.add(users);
            awaitRelease();
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            StringBuilder body = new StringBuilder();
            StringJoiner versions = new StringJoiner(",");
            List<String> answered = dropLastLine ? users.subList(0, users.size() - 1) : users;
            for (int i = 0; i < answered.size(); i++) {
                String user = answered.get(i);
                String code = errors.get(user);
                if (code != null) {
                    body.append("{\"type\":\"error\",\"code\":\"").append(code).append("\",\"message\":\"cannot read ")
                            .append(user).append("\"}\n");
                    versions.add(QueryApi.versionEntry(QueryApi.NOT_A_SNAPSHOT));
                } else if (behind.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    body.append(snapshotOf(user)).append('\n');
                    versions.add("-1");
                } else {
                    body.append(snapshotOf(user)).append('\n');
                    versions.add(Long.toString(versionOf(user)));
                }
            }
            exchange.getResponseHeaders().add(QueryApi.VERSIONS_HEADER, versions.toString());
            exchange.getResponseHeaders().add("Content-Type", QueryApi.NDJSON);
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void awaitRelease() {
        try {
            hold.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The snapshot this fake answers for a user: an empty one at the user's own version. */
    public static String snapshotOf(String userId) {
        return CODEC.encode(new Snapshot(Hlc.of(1_800_000_000_000L, 0), List.of(), List.of(), List.of(),
                versionOf(userId)));
    }

    /** The version this fake answers for a user. */
    public static long versionOf(String userId) {
        return 1000L + Math.abs(userId.hashCode() % 1000);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
