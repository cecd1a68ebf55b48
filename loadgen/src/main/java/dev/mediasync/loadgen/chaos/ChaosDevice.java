package dev.mediasync.loadgen.chaos;

import dev.mediasync.client.SyncClient;
import dev.mediasync.client.SyncClient.Kind;
import dev.mediasync.client.SyncError;
import dev.mediasync.client.SyncListener;
import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.ClientMessage;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A device of the chaos run: the project's own Java client ({@code clients/java}) with what the run needs
 * to judge it. The client does what the contract asks (an outbox resent with the same op ids after every
 * reconnect, its own clock, back-off with jitter, a connection without answers taken for dead), moving to
 * the next gateway after every drop; this class turns the run's intents into client ops, times their acks
 * and tells the workload which probe writes of its siblings it has seen.
 */
final class ChaosDevice implements SyncListener {

    /** What the workload learns from a device (acks are timed on the op itself). */
    interface Observer {
        /** The device saw {@code probeContent} (a sibling's probe title) at {@code seq}. */
        void probeSeen(ChaosDevice viewer, String probeContent, int seq);
    }

    /** The device's view: titles in the watchlist, and the winning op id of each title's progress. */
    record View(TreeSet<String> watchlist, TreeMap<String, String> progress) {
    }

    /** What the workload asks a device to do next: sent through the client, and the op as the oracle reads it. */
    sealed interface Intent {

        SyncClient.Pending send(SyncClient client);

        ClientMessage message(String opId);

        default int probeSeq() {
            return -1;
        }

        record Progress(String contentId, double position, PlaybackState state, int probeSeq) implements Intent {
            @Override
            public SyncClient.Pending send(SyncClient client) {
                return client.reportProgress(contentId, position, PlaybackPosition.MAX_DURATION_SECONDS,
                        state.name().toLowerCase());
            }

            @Override
            public ClientMessage message(String opId) {
                return new ProgressUpdate(opId, contentId, new PlaybackPosition(position,
                        PlaybackPosition.MAX_DURATION_SECONDS, state));
            }
        }

        record RemoveProgress(String contentId) implements Intent {
            @Override
            public SyncClient.Pending send(SyncClient client) {
                return client.removeProgress(contentId);
            }

            @Override
            public ClientMessage message(String opId) {
                return new ProgressRemove(opId, contentId);
            }
        }

        /** A remove is by timestamp (every add stamped before it), as the oracle reads it. */
        record Watchlist(String contentId, boolean add) implements Intent {
            @Override
            public SyncClient.Pending send(SyncClient client) {
                return add ? client.addToWatchlist(contentId) : client.removeFromWatchlistEverywhere(contentId);
            }

            @Override
            public ClientMessage message(String opId) {
                return new WatchlistUpdate(opId, add ? WatchlistOperation.ADD : WatchlistOperation.REMOVE, contentId,
                        null);
            }
        }
    }

    /** A connection that answers no op for this long is dropped and made again (the old chaos device's resend). */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    final String user;
    final String id;
    private final SyncClient client;
    private final Observer observer;
    /** Sends of each op id, counted as the client hands frames to the connection. */
    private final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    private volatile boolean synced;
    private volatile boolean stopped;
    volatile int reconnects;
    volatile String lastCloseReason = "";

    ChaosDevice(String user, String id, String token, List<URI> gateways, int firstGateway, HttpClient http,
                Observer observer) {
        this.user = user;
        this.id = id;
        this.observer = observer;
        this.client = SyncClient.builder(gateways, firstGateway, id).token(token).httpClient(http)
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(2)).ackTimeout(ACK_TIMEOUT).listener(this)
                .build();
    }

    void connect() {
        client.connect();
    }

    /** Hands the intent to the client; the op returned is timed as it is acked or refused. */
    SentOp submit(Intent intent) {
        SyncClient.Pending pending = intent.send(client);
        ClientMessage message = intent.message(pending.opId());
        int probeSeq = intent.probeSeq();
        SentOp op = new SentOp(user, id, message, Hlc.parse(pending.timestamp()), probeSeq);
        op.times().sendCounter = sends.computeIfAbsent(pending.opId(), opId -> new AtomicInteger());
        pending.whenComplete((ack, failure) -> {
            if (failure == null) {
                op.times().ackedNanos = System.nanoTime();
            } else if (failure instanceof SyncError refusal) { // not to be resent: reported, left out of the oracle
                op.times().refusal = refusal.code() + ": " + refusal.getMessage();
            }
        });
        return op;
    }

    /** Nothing waits for an ack. */
    boolean idle() {
        return client.pending() == 0;
    }

    /** Ops made and not acked yet. */
    int pending() {
        return client.pending();
    }

    /** Connected, with the snapshot in hand. */
    boolean synced() {
        return synced;
    }

    View view() {
        TreeMap<String, String> progress = new TreeMap<>();
        client.state(Kind.PROGRESS).forEach((content, state) -> progress.put(content, state.path("op_id").asString()));
        return new View(new TreeSet<>(client.state(Kind.WATCHLIST).keySet()), progress);
    }

    void stop() {
        stopped = true;
        client.close();
    }

    @Override
    public void onStatus(SyncClient.Status status, int code, String reason) {
        if (status == SyncClient.Status.CLOSED) {
            synced = false;
            lastCloseReason = "closed " + code + " " + reason;
            if (!stopped) {
                reconnects++;
            }
        }
    }

    @Override
    public void onSnapshot(long version) {
        synced = true;
        client.state(Kind.PROGRESS).forEach(this::seen);
    }

    @Override
    public void onChange(Kind kind, String id, JsonNode value, long version) {
        if (kind == Kind.PROGRESS && value != null) {
            seen(id, value);
        }
    }

    @Override
    public void onFrameSent(JsonNode frame) {
        String opId = frame.path("op_id").asString(null);
        if (opId != null) {
            sends.computeIfAbsent(opId, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void seen(String contentId, JsonNode progress) {
        if (contentId.startsWith(Workload.PROBE_PREFIX)) {
            observer.probeSeen(this, contentId, (int) progress.path("position_seconds").asDouble());
        }
    }
}
