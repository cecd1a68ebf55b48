package dev.mediasync.loadgen.chaos;

import dev.mediasync.clock.Hlc;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.EntityRemoved;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A device that does what the contract asks of a client: it keeps every op until it is acked and resends
 * it with the same op id, stamps its ops with its own clock, reconnects with back-off and jitter, to the
 * next gateway in turn, and keeps its view of the user's state from the snapshot and the pushed events.
 * It pipelines, as real clients do: up to {@link #IN_FLIGHT} ops wait for their acks at once, an op
 * refused for now is resent later while the next ones go on, and after a reconnect the unacked ops are
 * resent newest first. So its ops reach the log out of the order it made them, and the merge must not
 * care.
 */
final class ChaosDevice {

    /** What the workload learns from a device (acks are timed on the op itself). */
    interface Observer {
        /** The device saw {@code probeContent} (a sibling's probe title) at {@code seq}. */
        void probeSeen(ChaosDevice viewer, String probeContent, int seq);
    }

    /** The device's view: titles in the watchlist, and the winning op id of each title's progress. */
    record View(TreeSet<String> watchlist, TreeMap<String, String> progress) {
    }

    private static final Duration RESEND_AFTER = Duration.ofSeconds(5);
    /** Ops sent and not yet acked, at most, on one connection. */
    static final int IN_FLIGHT = 4;

    final String user;
    final String id;
    private final String token;
    private final List<URI> gateways;
    private final HttpClient http;
    private final ScheduledExecutorService timers;
    private final MessageCodec codec;
    private final Observer observer;
    /** Every op not acked yet, by op id, oldest first. */
    private final Map<String, SentOp> outbox = new LinkedHashMap<>();
    /** The op ids sent on the current connection and not acked yet. */
    private final Set<String> inFlight = new HashSet<>();
    private final TreeSet<String> watchlist = new TreeSet<>();
    private final TreeMap<String, String> progress = new TreeMap<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private boolean synced;
    private boolean stopped;
    private int gatewayIndex;
    private int failures;
    private long lastPhysical;
    private int logical;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    volatile int reconnects;
    volatile String lastCloseReason = "";

    ChaosDevice(String user, String id, String token, List<URI> gateways, int firstGateway, HttpClient http,
                ScheduledExecutorService timers, MessageCodec codec, Observer observer) {
        this.user = user;
        this.id = id;
        this.token = token;
        this.gateways = gateways;
        this.gatewayIndex = firstGateway;
        this.http = http;
        this.timers = timers;
        this.codec = codec;
        this.observer = observer;
    }

    /** The device's hybrid logical clock: never goes backwards, never repeats. */
    synchronized Hlc nextTimestamp() {
        long now = System.currentTimeMillis();
        if (now > lastPhysical) {
            lastPhysical = now;
            logical = 0;
        } else {
            logical++;
        }
        return Hlc.of(lastPhysical, logical);
    }

    void connect() {
        URI gateway;
        synchronized (this) {
            if (stopped) {
                return;
            }
            gateway = gateways.get(gatewayIndex % gateways.size());
        }
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws?device_id=" + id);
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener())
                .whenComplete((opened, error) -> {
                    if (error != null) {
                        disconnected(null, "connect failed: " + error.getClass().getSimpleName());
                    }
                });
    }

    synchronized void submit(SentOp op) {
        outbox.put(op.opId(), op);
        pump(false);
    }

    /** Sends waiting ops while fewer than {@link #IN_FLIGHT} are out: oldest first, or newest first. */
    private void pump(boolean newestFirst) {
        if (!synced) {
            return;
        }
        List<SentOp> waiting = new ArrayList<>(outbox.values());
        if (newestFirst) {
            Collections.reverse(waiting);
        }
        for (SentOp op : waiting) {
            if (inFlight.size() >= IN_FLIGHT) {
                return;
            }
            if (!inFlight.contains(op.opId())) {
                send(op);
            }
        }
    }

    /** Nothing waits for an ack. */
    synchronized boolean idle() {
        return outbox.isEmpty();
    }

    /** Connected, with the snapshot in hand. */
    synchronized boolean synced() {
        return synced;
    }

    synchronized View view() {
        return new View(new TreeSet<>(watchlist), new TreeMap<>(progress));
    }

    void stop() {
        WebSocket open;
        synchronized (this) {
            stopped = true;
            open = socket;
        }
        if (open != null) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "chaos run done");
        }
    }

    private synchronized void send(SentOp op) {
        WebSocket target = socket;
        if (target == null) {
            return;
        }
        inFlight.add(op.opId());
        op.times().sends++;
        String json = codec.encodeClient(op.request());
        sends = sends.handle((ignored, error) -> null).thenCompose(ignored -> target.sendText(json, true));
        int sendsSoFar = op.times().sends;
        timers.schedule(() -> resendIfUnacked(op, sendsSoFar), RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An op sent but neither acked nor refused for a while (its connection hangs): resend it. */
    private synchronized void resendIfUnacked(SentOp op, int sendsThen) {
        if (synced && outbox.get(op.opId()) == op && op.times().sends == sendsThen) {
            send(op);
        }
    }

    private void onFrame(String frame) {
        ServerMessage message;
        try {
            message = codec.decodeServer(frame);
        } catch (RuntimeException e) {
            return; // a message this client does not know: ignored, as the contract allows
        }
        synchronized (this) {
            if (message instanceof Snapshot snapshot) {
                watchlist.clear();
                progress.clear();
                snapshot.watchlist().stream().map(WatchlistItem::contentId).forEach(watchlist::add);
                snapshot.progress().forEach(this::progress);
                synced = true;
                failures = 0;
                inFlight.clear();
                pump(true); // resent after a reconnect, with the same op ids, newest first
            } else if (message instanceof WatchlistState state) {
                if (state.inWatchlist()) {
                    watchlist.add(state.contentId());
                } else {
                    watchlist.remove(state.contentId());
                }
            } else if (message instanceof ProgressState state) {
                progress(state);
            } else if (message instanceof EntityRemoved removed && removed.kind() == Kind.PROGRESS) {
                progress.remove(removed.entityId());
            } else if (message instanceof Ack ack) {
                acked(ack.opId());
            } else if (message instanceof ErrorMessage error) {
                refused(error);
            }
        }
    }

    private void progress(ProgressState state) {
        progress.put(state.contentId(), state.opId());
        if (state.contentId().startsWith(Workload.PROBE_PREFIX)) {
            observer.probeSeen(this, state.contentId(), (int) state.position().positionSeconds());
        }
    }

    private void acked(String opId) {
        SentOp op = outbox.remove(opId);
        inFlight.remove(opId);
        if (op == null) {
            return; // the ack of an earlier send of an op already acked
        }
        op.times().ackedNanos = System.nanoTime();
        pump(false);
    }

    private void refused(ErrorMessage error) {
        SentOp op = error.opId() == null ? null : outbox.get(error.opId());
        if (op == null) {
            return;
        }
        inFlight.remove(op.opId());
        if (error.code() == ErrorCode.UNAVAILABLE || error.code() == ErrorCode.RATE_LIMITED) {
            // resent later; the ops after it go on meanwhile and may reach the log first
            int sendsThen = op.times().sends;
            timers.schedule(() -> resendIfUnacked(op, sendsThen), 500, TimeUnit.MILLISECONDS);
        } else { // not to be resent: reported by the run, left out of the oracle
            op.times().refusal = error.code().wire() + ": " + error.message();
            outbox.remove(op.opId());
        }
        pump(false);
    }

    private void disconnected(WebSocket which, String reason) {
        long delay;
        synchronized (this) {
            if (which != null && which != socket) {
                return;
            }
            socket = null;
            synced = false;
            partial.setLength(0);
            lastCloseReason = reason;
            if (stopped) {
                return;
            }
            reconnects++;
            failures++;
            gatewayIndex++;
            long backOff = Math.min(2_000, 100L << Math.min(failures, 5));
            delay = backOff / 2 + ThreadLocalRandom.current().nextLong(backOff / 2 + 1);
        }
        timers.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private final class Listener implements WebSocket.Listener {

        @Override
        public void onOpen(WebSocket webSocket) {
            synchronized (ChaosDevice.this) {
                socket = webSocket;
            }
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String frame;
            synchronized (ChaosDevice.this) {
                partial.append(data);
                if (!last) {
                    return null;
                }
                frame = partial.toString();
                partial.setLength(0);
            }
            onFrame(frame);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            disconnected(webSocket, "closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            disconnected(webSocket, "failed: " + error);
        }
    }
}
