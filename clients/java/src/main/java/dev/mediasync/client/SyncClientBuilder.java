package dev.mediasync.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Settings of a client; {@link #token} or {@link #tokens} is required. */
public final class SyncClientBuilder {

    final List<URI> gateways;
    int firstGateway;
    final String deviceId;
    SyncClient.TokenSource tokens;
    boolean fixedToken;
    ClientStorage storage = ClientStorage.memory();
    SyncListener listener = new SyncListener() { };
    HttpClient http = HttpClient.newHttpClient();
    Duration initialDelay = Duration.ofMillis(250);
    Duration maxDelay = Duration.ofSeconds(15);
    Duration refreshBefore = Duration.ofMinutes(1);
    Duration ackTimeout = Duration.ofSeconds(20);
    int maxPending = 1_000;
    LongSupplier wallClock = System::currentTimeMillis;

    SyncClientBuilder(URI gateway, String deviceId) {
        this.gateways = List.of(Objects.requireNonNull(gateway, "gateway"));
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    }

    SyncClientBuilder(List<URI> gateways, int first, String deviceId) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway");
        }
        this.gateways = List.copyOf(gateways);
        this.firstGateway = first;
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    }

    /** A fixed token: once it expires (close code 4401) the client stops with {@code unauthorized}. */
    public SyncClientBuilder token(String token) {
        Objects.requireNonNull(token, "token");
        this.tokens = () -> token;
        this.fixedToken = true;
        return this;
    }

    /** Asked on every connect and before the token of an open connection expires. */
    public SyncClientBuilder tokens(SyncClient.TokenSource tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.fixedToken = false;
        return this;
    }

    /** Default: memory only (nothing survives the process). */
    public SyncClientBuilder storage(ClientStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        return this;
    }

    public SyncClientBuilder listener(SyncListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public SyncClientBuilder httpClient(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
        return this;
    }

    /** Reconnect back-off: full jitter up to initial × 2^attempt, capped at max (250 ms, 15 s). */
    public SyncClientBuilder reconnect(Duration initial, Duration max) {
        this.initialDelay = initial;
        this.maxDelay = max;
        return this;
    }

    /** How long before a token expires it is refreshed (1 min). */
    public SyncClientBuilder refreshBefore(Duration refreshBefore) {
        this.refreshBefore = refreshBefore;
        return this;
    }

    /**
     * How long an op sent on an open connection may wait for its ack or refusal before the connection is
     * taken for dead and made again (20 s; zero: never); the op is sent again on the new one.
     */
    public SyncClientBuilder ackTimeout(Duration ackTimeout) {
        this.ackTimeout = ackTimeout;
        return this;
    }

    /** Ops the outbox holds before new ones fail with {@code outbox_full} (1,000). */
    public SyncClientBuilder maxPending(int maxPending) {
        this.maxPending = maxPending;
        return this;
    }

    /** The wall clock, epoch ms (tests). */
    public SyncClientBuilder wallClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
        return this;
    }

    public SyncClient build() {
        if (tokens == null) {
            throw new IllegalStateException("give the client a token or a token source");
        }
        if (firstGateway < 0) {
            throw new IllegalArgumentException("first gateway index must be at least 0");
        }
        return new SyncClient(this);
    }
}
