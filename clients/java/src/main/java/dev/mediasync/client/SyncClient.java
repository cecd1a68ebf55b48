package dev.mediasync.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A device's connection to the platform (docs/protocol.md), doing what the protocol asks of a client:
 * <ul>
 *   <li>stamps every op with a {@link HybridClock} and keeps it in an outbox until its {@code ack}; the
 *       outbox is saved through {@link ClientStorage} before the op is sent, so an edit made offline
 *       survives a restart of the app, and after every (re)connect all of it is sent again with the same
 *       op ids and timestamps (the server applies an op id once);</li>
 *   <li>keeps the user's state: the snapshot first, then each event merged by version (an event at or
 *       below what is shown for its entity is dropped: no step back, no repeat);</li>
 *   <li>reconnects after any drop with exponential back-off and full jitter, reset by a snapshot;</li>
 *   <li>sends an op refused with {@code unavailable} or {@code rate_limited} again later; completes the op's
 *       future with a {@link SyncError} for any other refusal;</li>
 *   <li>with a {@link TokenSource}, refreshes the token on the open connection before it expires and asks
 *       for a fresh one on every connect;</li>
 *   <li>drops commands past their {@code expires_at} and repeated command ids;</li>
 *   <li>takes a connection on which an op got no answer within the ack timeout for dead, and makes a new
 *       one (to the next gateway, when it was given several).</li>
 * </ul>
 * Thread-safe; listener calls come one at a time from the client's threads.
 */
public final class SyncClient implements AutoCloseable {

    public enum Status { IDLE, CONNECTING, OPEN, CLOSED }

    /** The three maps of the user's state. */
    public enum Kind { WATCHLIST, PROGRESS, DEVICES }

    /** An op the log has durably: its id and the timestamp it carries. */
    public record Ack(String opId, String timestamp) {
    }

    /** An op kept in the outbox: its id and timestamp at once, and its {@link Ack} once the log has it. */
    public static final class Pending extends CompletableFuture<Ack> {
        private final String opId;
        private final String timestamp;

        Pending(String opId, String timestamp) {
            this.opId = opId;
            this.timestamp = timestamp;
        }

        public String opId() {
            return opId;
        }

        public String timestamp() {
            return timestamp;
        }
    }

    /** Gives the token for a connect or a refresh (a JWT whose {@code device_id}, if any, is this device). */
    @FunctionalInterface
    public interface TokenSource {
        String token() throws Exception;
    }

    /** Close code of an expired token: a fixed token cannot help, a token source is asked again. */
    static final int TOKEN_EXPIRED = 4401;
    /** The user was erased: nothing of theirs is kept anywhere, nor here. */
    static final int USER_ERASED = 4410;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int COMMAND_IDS_KEPT = 1_000;

    private final List<URI> endpoints;
    /** Which endpoint the next connect uses; moves on after every drop. */
    private int endpointIndex;
    private final String deviceId;
    private final TokenSource tokens;
    private final boolean fixedToken;
    private final ClientStorage storage;
    private final SyncListener listener;
    private final HttpClient http;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final long refreshBeforeMs;
    private final long ackTimeoutMs;
    private final int maxPending;
    private final LongSupplier wallClock;
    private final HybridClock clock;
    private final ScheduledExecutorService timers;

    /** op id → the op, in the order made; guarded by this. */
    private final LinkedHashMap<String, Outgoing> outbox = new LinkedHashMap<>();
    private final ShownState state = new ShownState();
    private final Set<String> commandIds = new LinkedHashSet<>();
    private Status status = Status.IDLE;
    private boolean wanted;
    private boolean closed;
    private int attempt;
    private Connection connection;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> refreshTimer;

    /**
     * @param restored made before this client started (loaded from storage): nobody holds its future, so
     *                 its outcome goes to the listener
     */
    private record Outgoing(ObjectNode frame, CompletableFuture<Ack> result, boolean restored) {
    }

    SyncClient(SyncClientBuilder builder) {
        this.endpoints = builder.gateways.stream().map(gateway -> URI.create(gateway.toString()
                .replaceFirst("^http", "ws").replaceAll("/+$", "") + "/ws?device_id="
                + URLEncoder.encode(builder.deviceId, StandardCharsets.UTF_8))).toList();
        this.endpointIndex = builder.firstGateway;
        this.deviceId = builder.deviceId;
        this.tokens = builder.tokens;
        this.fixedToken = builder.fixedToken;
        this.storage = builder.storage;
        this.listener = builder.listener;
        this.http = builder.http;
        this.initialDelayMs = builder.initialDelay.toMillis();
        this.maxDelayMs = builder.maxDelay.toMillis();
        this.refreshBeforeMs = builder.refreshBefore.toMillis();
        this.ackTimeoutMs = builder.ackTimeout.toMillis();
        this.maxPending = builder.maxPending;
        this.wallClock = builder.wallClock;
        this.clock = new HybridClock(builder.wallClock);
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sync-client-" + builder.deviceId);
            thread.setDaemon(true);
            return thread;
        });
        restore();
    }

    /** @param gateway the gateway's base URL, e.g. {@code http://localhost:8083} ({@code ws://} too) */
    public static SyncClientBuilder builder(URI gateway, String deviceId) {
        return new SyncClientBuilder(gateway, deviceId);
    }

    /**
     * Several gateways without a load balancer in front: connects to {@code first} and to the next one in turn
     * after every drop.
     */
    public static SyncClientBuilder builder(List<URI> gateways, int first, String deviceId) {
        return new SyncClientBuilder(gateways, first, deviceId);
    }

    public String deviceId() {
        return deviceId;
    }

    public synchronized Status status() {
        return status;
    }

    /** Ops without an ack yet, restored ones included. */
    public synchronized int pending() {
        return outbox.size();
    }

    /** A copy of one map of the state: content id (or device id) → its state as the server sent it. */
    public synchronized Map<String, JsonNode> state(Kind kind) {
        return state.copy(kind);
    }

    /** Connects, and keeps reconnecting after every drop until {@link #close()}. */
    public synchronized SyncClient connect() {
        if (closed) {
            throw new SyncError("closed", "this client was closed; make a new one", null);
        }
        if (!wanted) {
            wanted = true;
            timers.execute(this::open);
        }
        return this;
    }

    /**
     * Drops the connection and connects again at once, as after a network change (the ops without an ack
     * are sent again; nothing is lost).
     */
    public void reconnectNow() {
        Connection current;
        synchronized (this) {
            current = connection;
        }
        if (current != null) {
            current.abort();
        }
    }

    /** Closes for good; the ops without an ack stay in storage for the next client of this device. */
    @Override
    public void close() {
        Connection current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wanted = false;
            cancel(reconnectTimer);
            cancel(refreshTimer);
            current = connection;
            connection = null;
            saveState();
            setStatus(Status.CLOSED, 1000, "closed by the client");
        }
        if (current != null) {
            current.close();
        }
        timers.shutdownNow();
    }

    // ---- ops: each future completes with the ack, or with a SyncError ----

    public Pending addToWatchlist(String contentId) {
        return op(body("watchlist_update").put("operation", "add").put("content_id", contentId));
    }

    /**
     * Removes the title for every add stamped before this op, also adds this device has not seen yet (the
     * contract's remove by timestamp): "clear it everywhere", as opposed to {@link #removeFromWatchlist}.
     */
    public Pending removeFromWatchlistEverywhere(String contentId) {
        return op(body("watchlist_update").put("operation", "remove").put("content_id", contentId));
    }

    /** Removes the title as this device sees it: the tags it observed (an add it has not seen wins). */
    public Pending removeFromWatchlist(String contentId) {
        ObjectNode body = body("watchlist_update").put("operation", "remove").put("content_id", contentId);
        ArrayNode observed = body.putArray("observed_tags");
        synchronized (this) {
            JsonNode title = state.get(Kind.WATCHLIST, contentId);
            if (title != null && title.has("tags")) {
                title.get("tags").forEach(observed::add);
            }
        }
        return op(body);
    }

    /** @param playbackState {@code playing}, {@code paused} or {@code completed} */
    public Pending reportProgress(String contentId, double positionSeconds, double durationSeconds,
                                                 String playbackState) {
        return op(body("progress_update").put("content_id", contentId).put("position_seconds", positionSeconds)
                .put("duration_seconds", durationSeconds).put("state", playbackState));
    }

    public Pending removeProgress(String contentId) {
        return op(body("progress_remove").put("content_id", contentId));
    }

    /** @param platform {@code tv}, {@code phone}, {@code tablet}, {@code web}, {@code desktop} or {@code other} */
    public Pending register(String name, String platform, List<String> capabilities) {
        ObjectNode body = body("device_register").put("name", name).put("platform", platform);
        capabilities.forEach(body.putArray("capabilities")::add);
        return op(body);
    }

    /**
     * @param command         {@code play}, {@code pause}, {@code seek}, {@code stop} or {@code cast}
     * @param contentId       or {@code null}
     * @param positionSeconds or {@code null} ({@code seek} needs one)
     */
    public Pending sendCommand(String targetDeviceId, String command, String contentId,
                                              Double positionSeconds) {
        ObjectNode body = body("device_command").put("target_device_id", targetDeviceId).put("command", command);
        if (contentId != null) {
            body.put("content_id", contentId);
        }
        if (positionSeconds != null) {
            body.put("position_seconds", positionSeconds);
        }
        return op(body);
    }

    /** Plays the title on the target at its resume position and pauses it here. */
    public Pending handoff(String targetDeviceId, String contentId) {
        return op(body("device_handoff").put("target_device_id", targetDeviceId).put("content_id", contentId));
    }

    public Pending removeDevice(String targetDeviceId) {
        return op(body("device_remove").put("target_device_id", targetDeviceId));
    }

    private static ObjectNode body(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private synchronized Pending op(ObjectNode frame) {
        String opId = UUID.randomUUID().toString();
        String timestamp = clock.now();
        Pending result = new Pending(opId, timestamp);
        if (closed) {
            result.completeExceptionally(new SyncError("closed", "this client was closed", opId));
            return result;
        }
        if (outbox.size() >= maxPending) {
            result.completeExceptionally(new SyncError("outbox_full", maxPending + " ops are waiting for their ack",
                    opId));
            return result;
        }
        frame.put("op_id", opId).put("timestamp", timestamp);
        outbox.put(opId, new Outgoing(frame, result, false));
        try {
            saveOutbox();
        } catch (RuntimeException e) {
            outbox.remove(opId);
            result.completeExceptionally(new SyncError("storage", "the op could not be kept: " + e, opId));
            return result;
        }
        if (status == Status.OPEN) {
            connection.send(frame);
        }
        return result;
    }

    // ---- the connection ----

    private void open() {
        synchronized (this) {
            reconnectTimer = null;
            if (!wanted || connection != null) {
                return;
            }
            setStatus(Status.CONNECTING, 0, null);
        }
        String token;
        try {
            token = tokens.token();
        } catch (Exception e) {
            error(new SyncError("unauthorized", "the token source failed: " + e, null));
            synchronized (this) {
                scheduleReconnect();
            }
            return;
        }
        Connection next = new Connection(token);
        URI endpoint;
        synchronized (this) {
            if (!wanted) {
                return;
            }
            connection = next;
            endpoint = endpoints.get(Math.floorMod(endpointIndex, endpoints.size()));
        }
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, next).whenComplete((socket, failure) -> {
                    if (failure != null) {
                        next.closed(1006, "no connection: " + rootMessage(failure));
                    }
                });
    }

    private final class Connection implements WebSocket.Listener {

        private final String token;
        private final StringBuilder parts = new StringBuilder();
        private WebSocket socket;
        /** Sends go one after the other: the JDK's WebSocket refuses a send while one is under way. */
        private CompletableFuture<WebSocket> sending;

        Connection(String token) {
            this.token = token;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            synchronized (SyncClient.this) {
                socket = webSocket;
                sending = CompletableFuture.completedFuture(webSocket);
                if (connection != this) {
                    webSocket.abort();
                    return;
                }
                setStatus(Status.OPEN, 0, null);
                // every op without an ack, in order, with its op id and timestamp: applied once whatever happened
                outbox.values().forEach(pending -> send(pending.frame()));
                scheduleRefresh(token);
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                String frame = parts.toString();
                parts.setLength(0);
                receive(this, frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed(1006, rootMessage(error));
        }

        void send(JsonNode frame) {
            String text = frame.toString();
            synchronized (SyncClient.this) {
                sending = sending.thenCompose(open -> open.sendText(text, true))
                        .exceptionally(failure -> socket); // the close that follows says what happened
                listener.onFrameSent(frame);
                String opId = frame.path("op_id").asString(null);
                if (opId != null && ackTimeoutMs > 0) {
                    timers.schedule(() -> answerDue(opId), ackTimeoutMs, TimeUnit.MILLISECONDS);
                }
            }
        }

        /** No ack and no refusal for an op sent here: a half-open connection (a lost network, a hung peer). */
        private void answerDue(String opId) {
            boolean unanswered;
            synchronized (SyncClient.this) {
                unanswered = connection == this && status == Status.OPEN && outbox.containsKey(opId);
            }
            if (unanswered) {
                abort();
            }
        }

        void abort() {
            WebSocket current = socket;
            if (current != null) {
                current.abort();
            }
            closed(1006, "dropped by the client");
        }

        void close() {
            WebSocket current = socket;
            if (current != null) {
                current.sendClose(WebSocket.NORMAL_CLOSURE, "closed by the client").exceptionally(failure -> null);
            }
        }

        void closed(int code, String reason) {
            synchronized (SyncClient.this) {
                if (connection != this) {
                    return;
                }
                connection = null;
                endpointIndex++;
                cancel(refreshTimer);
                setStatus(Status.CLOSED, code, reason);
                if (code == USER_ERASED) {
                    forgetEverything();
                    return;
                }
                if (code == TOKEN_EXPIRED && fixedToken) {
                    wanted = false; // a fixed token will not get younger
                    error(new SyncError("unauthorized", "the token expired; give the client a token source "
                            + "to stay connected", null));
                    return;
                }
                scheduleReconnect();
            }
        }
    }

    // ---- what the server sends ----

    private synchronized void receive(Connection from, String text) {
        if (connection != from) {
            return;
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (RuntimeException e) {
            return; // the server sends JSON only; nothing else can be acted on
        }
        String type = frame.path("type").asString("");
        switch (type) {
            case "snapshot" -> applySnapshot(frame);
            case "ack" -> acked(frame);
            case "error" -> refused(frame);
            case "device_command" -> {
                if (frame.path("expires_at").asLong(0) >= wallClock.getAsLong()
                        && firstSight(frame.path("command_id").asString(""))) {
                    listener.onCommand(frame);
                }
            }
            default -> {
                if (ShownState.isEvent(type)) {
                    applyEvent(type, frame);
                }
            }
        }
    }

    private void applySnapshot(JsonNode snapshot) {
        attempt = 0;
        long version = state.replace(snapshot);
        clock.observe(snapshot.path("timestamp").asString(null));
        saveState();
        listener.onSnapshot(version);
    }

    private void applyEvent(String type, JsonNode event) {
        ShownState.Change change = state.apply(type, event);
        if (change != null) { // else already shown (by the snapshot or an earlier copy): a repeat, or older
            clock.observe(event.path("timestamp").asString(null));
            listener.onChange(change.kind(), change.id(), change.value(), change.version());
        }
    }

    private void acked(JsonNode ack) {
        String opId = ack.path("op_id").asString(null);
        String timestamp = ack.path("timestamp").asString(null);
        clock.observe(timestamp);
        Outgoing pending = opId == null ? null : outbox.remove(opId);
        if (pending == null) {
            return; // an ack repeated for an op already acked
        }
        saveOutbox();
        pending.result().complete(new Ack(opId, timestamp));
        listener.onAck(opId, timestamp);
    }

    private void refused(JsonNode frame) {
        String opId = frame.path("op_id").asString(null);
        SyncError error = new SyncError(frame.path("code").asString("internal"), frame.path("message").asString(""),
                opId);
        Outgoing pending = opId == null ? null : outbox.get(opId);
        if (pending == null) {
            error(error); // no op waits for it: a refusal after the ack, or about the connection
            return;
        }
        if (error.retryable()) {
            // the same op, later: the outbox keeps it, and a reconnect would send it too
            timers.schedule(() -> {
                synchronized (this) {
                    if (outbox.containsKey(opId) && status == Status.OPEN) {
                        connection.send(pending.frame());
                    }
                }
            }, backoff(2), TimeUnit.MILLISECONDS);
            return;
        }
        outbox.remove(opId);
        saveOutbox();
        pending.result().completeExceptionally(error);
        if (pending.restored()) {
            error(error);
        }
    }

    /** False for a command delivered before (an at-least-once repeat): a device must not play twice. */
    private boolean firstSight(String commandId) {
        if (!commandIds.add(commandId)) {
            return false;
        }
        if (commandIds.size() > COMMAND_IDS_KEPT) {
            commandIds.remove(commandIds.iterator().next());
        }
        return true;
    }

    // ---- timers ----

    private void scheduleReconnect() {
        if (!wanted || timers.isShutdown()) {
            return;
        }
        reconnectTimer = timers.schedule(this::open, backoff(attempt++), TimeUnit.MILLISECONDS);
    }

    /** Full jitter: a random delay up to initial × 2^attempt, capped. */
    private long backoff(int attempt) {
        long cap = Math.min(maxDelayMs, initialDelayMs << Math.min(attempt, 20));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private void scheduleRefresh(String token) {
        long expiresAt = expiresAtMs(token);
        if (fixedToken || expiresAt <= 0) {
            return;
        }
        long delay = Math.max(1_000, expiresAt - refreshBeforeMs - wallClock.getAsLong());
        refreshTimer = timers.schedule(() -> {
            String fresh;
            try {
                fresh = tokens.token();
            } catch (Exception e) {
                error(new SyncError("unauthorized", "the token source failed: " + e, null));
                return;
            }
            synchronized (this) {
                if (status == Status.OPEN) {
                    connection.send(JSON.createObjectNode().put("type", "token_refresh").put("token", fresh));
                    scheduleRefresh(fresh);
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The token's {@code exp} in epoch ms (not verified: the server does that), or 0. */
    static long expiresAtMs(String token) {
        try {
            String payload = token.split("\\.")[1];
            return JSON.readTree(Base64.getUrlDecoder().decode(payload)).path("exp").asLong(0) * 1000;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    // ---- storage ----

    private void restore() {
        String saved = storage.load("outbox");
        if (saved != null) {
            JsonNode outboxDocument = JSON.readTree(saved);
            clock.observe(outboxDocument.path("clock").asString(null));
            for (JsonNode frame : outboxDocument.path("ops")) {
                outbox.put(frame.path("op_id").asString(), new Outgoing((ObjectNode) frame, new CompletableFuture<>(), true));
            }
        }
        String shown = storage.load("state");
        if (shown != null) {
            state.replace(JSON.readTree(shown));
        }
    }

    /** The user was erased: no reconnect, unsent ops fail with {@code user_erased}, nothing kept in storage. */
    private void forgetEverything() {
        wanted = false;
        SyncError erased = new SyncError("user_erased", "this user was erased; nothing of theirs is kept", null);
        outbox.values().forEach(pending -> pending.result().completeExceptionally(erased));
        outbox.clear();
        saveOutbox();
        state.replace(JSON.createObjectNode());
        saveState();
        error(erased);
    }

    private void saveOutbox() {
        ObjectNode document = JSON.createObjectNode().put("clock", clock.last());
        ArrayNode ops = document.putArray("ops");
        outbox.values().forEach(pending -> ops.add(pending.frame()));
        storage.save("outbox", document.toString());
    }

    private void saveState() {
        try {
            storage.save("state", state.document());
        } catch (RuntimeException e) {
            error(new SyncError("storage", "the state could not be kept: " + e, null));
        }
    }

    // ---- listener ----

    private void setStatus(Status next, int code, String reason) {
        if (status != next) {
            status = next;
            listener.onStatus(next, code, reason);
        }
    }

    private void error(SyncError error) {
        listener.onError(error);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }
}
