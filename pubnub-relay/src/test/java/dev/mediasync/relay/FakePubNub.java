package dev.mediasync.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local stand-in for PubNub's publish API, as the SDK calls it:
 * {@code GET /publish/{pub_key}/{sub_key}/0/{channel}/0/{url-encoded JSON}?store=1&uuid=…} (or the same
 * path without the message and the JSON as a POST body). It answers as PubNub does: {@code
 * [1,"Sent","<timetoken>"]} on success, and on request the error statuses PubNub returns (400, 413,
 * 429, 5xx) or no answer in time.
 */
final class FakePubNub implements AutoCloseable {

    /** A publish PubNub accepted. */
    record Published(String channel, String message, String store, String publishKey) {
    }

    /** What to answer to a publish matching {@code when}: an HTTP status, or a delay before success. */
    record Fault(Predicate<String> when, int status, long delayMs, AtomicInteger remaining) {
    }

    private final HttpServer server;
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger timetoken = new AtomicInteger();
    private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor();

    FakePubNub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/publish/", this::publish);
        server.start();
    }

    String origin() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Published> published() {
        return published;
    }

    int requests() {
        return requests.get();
    }

    /** The next {@code times} publishes to a channel matching {@code channel} get {@code status}. */
    void fail(Predicate<String> channel, int status, int times) {
        faults.add(new Fault(channel, status, 0, new AtomicInteger(times)));
    }

    /** Every publish fails with {@code status} until {@link #heal()}. */
    void failAll(int status) {
        faults.add(new Fault(c -> true, status, 0, new AtomicInteger(Integer.MAX_VALUE)));
    }

    /** The next {@code times} publishes are answered only after {@code delayMs}. */
    void delay(long delayMs, int times) {
        faults.add(new Fault(c -> true, 200, delayMs, new AtomicInteger(times)));
    }

    void heal() {
        faults.clear();
    }

    private void publish(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        // /publish/{pub}/{sub}/0/{channel}/0[/{message}]
        String[] path = exchange.getRequestURI().getRawPath().split("/", 8);
        String publishKey = path[2];
        String channel = URLDecoder.decode(path[5], StandardCharsets.UTF_8);
        String message = path.length > 7
                ? URLDecoder.decode(path[7].replace("+", "%2B"), StandardCharsets.UTF_8)
                : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        String store = query == null ? null : java.util.Arrays.stream(query.split("&"))
                .filter(p -> p.startsWith("store=")).map(p -> p.substring(6)).findFirst().orElse(null);
        for (Fault fault : faults) {
            if (fault.when().test(channel) && fault.remaining().getAndDecrement() > 0) {
                if (fault.delayMs() > 0) {
                    // answered later, from another thread: a slow PubNub
                    late.schedule(() -> accept(exchange, channel, message, store, publishKey), fault.delayMs(),
                            TimeUnit.MILLISECONDS);
                    return;
                }
                answer(exchange, fault.status(), "{\"status\":" + fault.status() + ",\"error\":true,"
                        + "\"service\":\"Access Manager\",\"message\":\"" + reason(fault.status()) + "\"}");
                return;
            }
        }
        accept(exchange, channel, message, store, publishKey);
    }

    private void accept(HttpExchange exchange, String channel, String message, String store, String publishKey) {
        published.add(new Published(channel, message, store, publishKey));
        try {
            answer(exchange, 200, "[1,\"Sent\",\"1764197000" + String.format("%07d", timetoken.incrementAndGet())
                    + "\"]");
        } catch (IOException e) {
            // the client gave up waiting: PubNub has the message anyway, as it would
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Invalid Arguments";
            case 413 -> "Message Too Large";
            case 429 -> "Too Many Requests";
            default -> "Server Error";
        };
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        late.shutdownNow();
    }
}
