package dev.mediasync.pubnub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for the parts of PubNub's REST API the platform uses, as the real SDK calls them:
 * <ul>
 *   <li>publish: {@code GET /publish/{pub}/{sub}/0/{channel}/0/{json}?store=1} (or the JSON as a POST
 *       body), answered {@code [1,"Sent","<timetoken>"]}, and on request with PubNub's error statuses
 *       (400, 413, 429, 5xx) or late;</li>
 *   <li>Access Manager v3 grant: {@code POST /v3/pam/{sub}/grant} with {@code {"ttl","permissions":
 *       {"resources","patterns","uuid"}}}, accepted only from a client that signs its requests (one
 *       configured with the secret key), answered with a token;</li>
 *   <li>history: {@code GET /v3/history/sub-key/{sub}/channel/{channels}} of stored publishes, and
 *       {@code DELETE} of the same path (Delete Messages from History, needing the delete permission or the
 *       secret key's signature);</li>
 *   <li>global here_now: {@code GET /v2/presence/sub_key/{sub}}, the clients present on each channel (set
 *       with {@link #join} and {@link #leave}).</li>
 * </ul>
 * With Access Manager on ({@link #withAccessManager()}), a request needs a signature (a client with the
 * secret key) or an {@code auth} token that grants the permission on every channel it names (exactly or
 * by pattern), presented by the token's {@code uuid}, unexpired; anything else gets PubNub's 403.
 */
public final class FakePubNub implements AutoCloseable {

    /** A publish PubNub accepted. */
    public record Published(String channel, String message, String store, String publishKey, long timetoken) {
    }

    /** What to answer to a publish matching {@code when}: an HTTP status, or a delay before success. */
    record Fault(Predicate<String> when, int status, long delayMs, AtomicInteger remaining) {
    }

    /** A token this stand-in granted, as a request presents it. */
    public record Grant(String uuid, Map<String, Integer> channels, Map<String, Integer> patterns, long expiresAt) {
    }

    /** Permission bits of Access Manager v3. */
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int DELETE = 8;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> historyDeleted = new CopyOnWriteArrayList<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Grant> grants = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.Set<String>> present = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> hereNowCallers = new CopyOnWriteArrayList<>();
    private final AtomicInteger timetoken = new AtomicInteger();
    private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor();
    private volatile CountDownLatch grantGate = new CountDownLatch(0);
    private final AtomicInteger heldGrants = new AtomicInteger();
    private final boolean accessManager;

    /** A keyset without Access Manager: every request with the keys is served. */
    public FakePubNub() {
        this(false);
    }

    /** A keyset with Access Manager on. */
    public static FakePubNub withAccessManager() {
        return new FakePubNub(true);
    }

    private FakePubNub(boolean accessManager) {
        this.accessManager = accessManager;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/publish/", this::publish);
        server.createContext("/v3/pam/", this::grant);
        server.createContext("/v3/history/", this::history);
        server.createContext("/v2/presence/", this::hereNow);
        server.start();
    }

    public String origin() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Tokens revoked (Revoke Token), in order; a revoked token no longer grants anything. */
    public List<String> revoked() {
        return revoked;
    }

    /** Channels whose stored history a client deleted, in order. */
    public List<String> historyDeleted() {
        return historyDeleted;
    }

    public List<Published> published() {
        return published;
    }

    /** Every token granted so far, decoded. */
    public List<Grant> grants() {
        return grants;
    }

    public int requests() {
        return requests.get();
    }

    /** The next {@code times} publishes to a channel matching {@code channel} get {@code status}. */
    public void fail(Predicate<String> channel, int status, int times) {
        faults.add(new Fault(channel, status, 0, new AtomicInteger(times)));
    }

    /** Every publish fails with {@code status} until {@link #heal()}. */
    public void failAll(int status) {
        faults.add(new Fault(c -> true, status, 0, new AtomicInteger(Integer.MAX_VALUE)));
    }

    /** The next {@code times} publishes are answered only after {@code delayMs}. */
    public void delay(long delayMs, int times) {
        faults.add(new Fault(c -> true, 200, delayMs, new AtomicInteger(times)));
    }

    public void heal() {
        faults.clear();
    }

    /** Grant requests are held unanswered, as by a PubNub that hangs, until {@link #answerGrants()}. */
    public void holdGrants() {
        grantGate = new CountDownLatch(1);
    }

    public void answerGrants() {
        grantGate.countDown();
    }

    /** Grant requests held right now. */
    public int heldGrants() {
        return heldGrants.get();
    }

    /** The PubNub user id of each here_now request so far, in order. */
    public List<String> hereNowCallers() {
        return List.copyOf(hereNowCallers);
    }

    /** A client subscribed to {@code channel} with presence: here_now lists it. */
    public void join(String channel, String uuid) {
        present.computeIfAbsent(channel, c -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(uuid);
    }

    public void leave(String channel, String uuid) {
        present.getOrDefault(channel, java.util.Set.of()).remove(uuid);
    }

    // ---- publish ----

    private void publish(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        // /publish/{pub}/{sub}/0/{channel}/0[/{message}]
        String[] path = exchange.getRequestURI().getRawPath().split("/", 8);
        String publishKey = path[2];
        String channel = URLDecoder.decode(path[5], StandardCharsets.UTF_8);
        String message = path.length > 7
                ? URLDecoder.decode(path[7].replace("+", "%2B"), StandardCharsets.UTF_8)
                : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> query = query(exchange);
        if (!allowed(query, List.of(channel), WRITE)) {
            forbidden(exchange, List.of(channel));
            return;
        }
        for (Fault fault : faults) {
            if (fault.when().test(channel) && fault.remaining().getAndDecrement() > 0) {
                if (fault.delayMs() > 0) {
                    // answered later, from another thread: a slow PubNub
                    late.schedule(() -> accept(exchange, channel, message, query.get("store"), publishKey),
                            fault.delayMs(), TimeUnit.MILLISECONDS);
                    return;
                }
                answer(exchange, fault.status(), "{\"status\":" + fault.status() + ",\"error\":true,"
                        + "\"service\":\"Balancer\",\"message\":\"" + reason(fault.status()) + "\"}");
                return;
            }
        }
        accept(exchange, channel, message, query.get("store"), publishKey);
    }

    private void accept(HttpExchange exchange, String channel, String message, String store, String publishKey) {
        long tt = 17_641_970_000_000_000L + timetoken.incrementAndGet();
        published.add(new Published(channel, message, store, publishKey, tt));
        try {
            answer(exchange, 200, "[1,\"Sent\",\"" + tt + "\"]");
        } catch (IOException e) {
            // the client gave up waiting: PubNub has the message anyway, as it would
        }
    }

    // ---- Access Manager v3 ----

    private void grant(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if ("DELETE".equals(exchange.getRequestMethod())) { // Revoke Token: /v3/pam/{sub}/grant/{token}
            if (!signed(query(exchange))) {
                answer(exchange, 403, "{\"status\":403,\"error\":{\"message\":\"Forbidden\"},\"service\":\"Access Manager\"}");
                return;
            }
            String[] path = exchange.getRequestURI().getRawPath().split("/");
            revoked.add(URLDecoder.decode(path[path.length - 1], StandardCharsets.UTF_8));
            answer(exchange, 200, "{\"status\":200,\"data\":{\"message\":\"Success\"},\"service\":\"Access Manager\"}");
            return;
        }
        heldGrants.incrementAndGet();
        try {
            grantGate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heldGrants.decrementAndGet();
        }
        Map<String, String> query = query(exchange);
        if (!signed(query)) {
            answer(exchange, 403, "{\"status\":403,\"error\":{\"message\":\"Forbidden\",\"source\":\"grant\","
                    + "\"details\":[{\"message\":\"Missing signature\"}]},\"service\":\"Access Manager\"}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        int ttl = body.path("ttl").asInt();
        if (ttl < 1 || ttl > 43_200) {
            answer(exchange, 400, "{\"status\":400,\"error\":{\"message\":\"Invalid ttl\",\"source\":\"grant\"},"
                    + "\"service\":\"Access Manager\"}");
            return;
        }
        JsonNode permissions = body.path("permissions");
        Grant grant = new Grant(permissions.path("uuid").asString(null),
                masks(permissions.path("resources").path("channels")),
                masks(permissions.path("patterns").path("channels")),
                System.currentTimeMillis() + ttl * 60_000L);
        grants.add(grant);
        String token = "fake-" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(JSON.writeValueAsBytes(grant));
        answer(exchange, 200, "{\"status\":200,\"data\":{\"message\":\"Success\",\"token\":\"" + token + "\"},"
                + "\"service\":\"Access Manager\"}");
    }

    private static Map<String, Integer> masks(JsonNode object) {
        Map<String, Integer> masks = new LinkedHashMap<>();
        object.properties().forEach(e -> masks.put(e.getKey(), e.getValue().asInt()));
        return masks;
    }

    /**
     * A request from a client with the secret key: PubNub checks the signature (v2 for most requests, the
     * older form for a POST publish); this stand-in only that one is there.
     */
    private static boolean signed(Map<String, String> query) {
        return !query.getOrDefault("signature", "").isEmpty() && query.containsKey("timestamp");
    }

    private boolean allowed(Map<String, String> query, List<String> channels, int permission) {
        if (!accessManager || signed(query)) {
            return true;
        }
        String auth = query.get("auth");
        if (auth == null || !auth.startsWith("fake-") || revoked.contains(auth)) {
            return false;
        }
        Grant grant;
        try {
            grant = JSON.readValue(Base64.getUrlDecoder().decode(auth.substring(5)), Grant.class);
        } catch (RuntimeException e) {
            return false;
        }
        if (grant.expiresAt() < System.currentTimeMillis()
                || (grant.uuid() != null && !grant.uuid().equals(query.get("uuid")))) {
            return false;
        }
        return channels.stream().allMatch(channel -> {
            if ((grant.channels().getOrDefault(channel, 0) & permission) != 0) {
                return true;
            }
            return grant.patterns().entrySet().stream().anyMatch(p -> (p.getValue() & permission) != 0
                    && Pattern.matches(p.getKey(), channel));
        });
    }

    // ---- history ----

    private void history(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        // /v3/history/sub-key/{sub}/channel/{channels}
        String[] path = exchange.getRequestURI().getRawPath().split("/");
        List<String> channels = Arrays.stream(path[path.length - 1].split(","))
                .map(c -> URLDecoder.decode(c, StandardCharsets.UTF_8)).toList();
        Map<String, String> query = query(exchange);
        if ("DELETE".equals(exchange.getRequestMethod())) {
            // Delete Messages from History: the whole stored history of the channel (no start/end given)
            if (!allowed(query, channels, DELETE)) {
                forbidden(exchange, channels);
                return;
            }
            published.removeIf(p -> channels.contains(p.channel()));
            historyDeleted.addAll(channels);
            answer(exchange, 200, "{\"status\":200,\"error\":false,\"error_message\":\"\"}");
            return;
        }
        if (!allowed(query, channels, READ)) {
            forbidden(exchange, channels);
            return;
        }
        int max = Integer.parseInt(query.getOrDefault("max", "100"));
        ObjectNode byChannel = JSON.createObjectNode();
        for (String channel : channels) {
            List<Published> stored = new ArrayList<>(published.stream()
                    .filter(p -> p.channel().equals(channel) && !"0".equals(p.store())).toList());
            List<Published> last = stored.subList(Math.max(0, stored.size() - max), stored.size());
            var items = byChannel.putArray(channel);
            for (Published p : last) {
                ObjectNode item = items.addObject();
                item.set("message", JSON.readTree(p.message()));
                item.put("timetoken", Long.toString(p.timetoken()));
                item.put("uuid", "sync-relay");
            }
        }
        ObjectNode body = JSON.createObjectNode().put("status", 200).put("error", false).put("error_message", "");
        body.set("channels", byChannel);
        answer(exchange, 200, JSON.writeValueAsString(body));
    }

    // ---- presence ----

    private void hereNow(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        hereNowCallers.add(query(exchange).getOrDefault("uuid", ""));
        if (!allowed(query(exchange), List.of(), READ)) {
            forbidden(exchange, List.of());
            return;
        }
        ObjectNode channels = JSON.createObjectNode();
        int total = 0;
        for (Map.Entry<String, java.util.Set<String>> channel : present.entrySet()) {
            if (channel.getValue().isEmpty()) {
                continue;
            }
            ObjectNode data = channels.putObject(channel.getKey());
            channel.getValue().forEach(data.putArray("uuids")::add);
            data.put("occupancy", channel.getValue().size());
            total += channel.getValue().size();
        }
        ObjectNode payload = JSON.createObjectNode();
        payload.set("channels", channels);
        payload.put("total_channels", channels.size()).put("total_occupancy", total);
        ObjectNode body = JSON.createObjectNode().put("status", 200).put("message", "OK").put("service", "Presence");
        body.set("payload", payload);
        answer(exchange, 200, JSON.writeValueAsString(body));
    }

    // ---- helpers ----

    private static void forbidden(HttpExchange exchange, List<String> channels) throws IOException {
        answer(exchange, 403, "{\"message\":\"Forbidden\",\"payload\":{\"channels\":"
                + JSON.writeValueAsString(channels) + "},\"error\":true,\"service\":\"Access Manager\",\"status\":403}");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
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
