package dev.mediasync.loadgen;

import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * N devices reconnecting within a window, as after a gateway restart: each starts at a random moment of
 * the window (clients add jitter to their reconnects). A device refused with 503 comes back after the
 * {@code retry_after_ms} the gateway gave it; any other failure (a browser cannot read the status) after
 * 1 to 2 s. Measures each admitted attempt's setup (upgrade to snapshot), each device's time from its
 * first attempt to connected, the refusals, and the gateway's heap and RSS per connection afterwards.
 */
final class ReconnectStorm {

    private static final Pattern RETRY_AFTER_MS = Pattern.compile("\"retry_after_ms\"\\s*:\\s*(\\d+)");
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(180);

    record Result(int devices, int connected, int refused, int failed, double allConnectedSeconds,
                  Histogram setup, Histogram toConnected, long heapPerConnection, long rssPerConnection,
                  String firstFailure) {
    }

    private final Platform platform;
    private final List<Connector> connectors;
    private final int spread;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "storm-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Histogram setup = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Histogram toConnected = new Histogram(TimeUnit.SECONDS.toNanos(300), 3);
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<Device> connected = new ArrayList<>();
    private volatile String firstFailure;
    private CountDownLatch done;
    private long stormStart;

    /** @param connectors clients taken in turn (each JDK client does all its I/O on one selector thread) */
    ReconnectStorm(Platform platform, List<Connector> connectors, int spread) {
        this.platform = platform;
        this.connectors = connectors;
        this.spread = spread;
    }

    Result run(int devices, int windowSeconds, int devicesPerUser, long gatewayPid) throws InterruptedException {
        List<String> tokens = platform.tokens("storm-", devices, devicesPerUser);
        GatewayMemory before = GatewayMemory.now(platform, gatewayPid);
        done = new CountDownLatch(devices);
        stormStart = System.nanoTime();
        long window = TimeUnit.SECONDS.toNanos(windowSeconds);
        for (int i = 0; i < devices; i++) {
            int device = i;
            long delay = ThreadLocalRandom.current().nextLong(window);
            timer.schedule(() -> attempt(device, tokens.get(device / devicesPerUser), devicesPerUser,
                    stormStart + delay), delay, TimeUnit.NANOSECONDS);
        }
        boolean all = done.await(GIVE_UP_NANOS, TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - stormStart) / 1e9;
        timer.shutdownNow();
        List<Device> open;
        synchronized (connected) {
            open = List.copyOf(connected);
        }
        GatewayMemory after = GatewayMemory.now(platform, gatewayPid);
        open.forEach(Device::close);
        int n = open.size();
        return new Result(devices, n, refused.get(), failed.get(), all ? seconds : Double.NaN, setup, toConnected,
                after.heapPerConnection(before, n), after.rssPerConnection(before, n), firstFailure);
    }

    private void attempt(int i, String token, int devicesPerUser, long firstAttempt) {
        String user = "storm-" + (i / devicesPerUser);
        String deviceId = "storm-" + (i % devicesPerUser);
        long started = System.nanoTime();
        connectors.get(i % connectors.size()).connect(platform.webSocket("127.0.0." + (1 + i % spread), deviceId), token, user, deviceId,
                (d, frame) -> { }).whenComplete((device, error) -> {
                    long now = System.nanoTime();
                    if (error == null) {
                        synchronized (setup) {
                            setup.recordValue(Math.min(now - started, setup.getHighestTrackableValue()));
                            toConnected.recordValue(Math.min(now - firstAttempt, toConnected.getHighestTrackableValue()));
                        }
                        synchronized (connected) {
                            connected.add(device);
                        }
                        done.countDown();
                        return;
                    }
                    long retryAfterMs = retryAfterMs(error);
                    if (retryAfterMs > 0) {
                        refused.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        if (firstFailure == null) {
                            firstFailure = error.toString();
                        }
                        retryAfterMs = 1_000 + ThreadLocalRandom.current().nextLong(1_000);
                    }
                    if (now - stormStart < GIVE_UP_NANOS) {
                        try {
                            timer.schedule(() -> attempt(i, token, devicesPerUser, firstAttempt), retryAfterMs,
                                    TimeUnit.MILLISECONDS);
                        } catch (RejectedExecutionException e) {
                            // the storm is over
                        }
                    }
                });
    }

    /** The gateway's {@code retry_after_ms} for a 503 refusal the client could read, else 0. */
    static long retryAfterMs(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebSocketHandshakeException refusal && refusal.getResponse().statusCode() == 503) {
            Matcher m = RETRY_AFTER_MS.matcher(String.valueOf(refusal.getResponse().body()));
            return m.find() ? Long.parseLong(m.group(1)) : 1_000;
        }
        return 0;
    }
}
