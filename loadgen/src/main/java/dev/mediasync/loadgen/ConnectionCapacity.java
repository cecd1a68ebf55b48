package dev.mediasync.loadgen;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Opens N idle device connections at a fixed arrival rate, at most {@code concurrency} in flight
 * (destination addresses 127.0.0.1… 127.0.0.k, so the ephemeral ports of one address pair do not run
 * out), timing each from its scheduled start to its snapshot (upgrade, authentication, presence op,
 * snapshot read included; a connection started late because the platform lagged counts its wait), and
 * reads the gateway's heap (after a full GC) and RSS before and after. Tokens are fetched beforehand.
 */
final class ConnectionCapacity {

    record Result(int requested, int opened, int failed, Histogram setup, GatewayMemory before,
                  GatewayMemory after, String firstFailure) {

        long heapPerConnection() {
            return after.heapPerConnection(before, opened);
        }

        long rssPerConnection() {
            return after.rssPerConnection(before, opened);
        }
    }

    static Result run(Platform platform, Connector connector, int connections, int rate, int spread,
                      int devicesPerUser, int concurrency, long gatewayPid, List<Device> keep)
            throws InterruptedException {
        List<String> tokens = platform.tokens("cap-", connections, devicesPerUser);
        GatewayMemory before = GatewayMemory.now(platform, gatewayPid);
        Histogram setup = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<Device>> opening = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            String user = "cap-" + (i / devicesPerUser);
            String token = tokens.get(i / devicesPerUser);
            long started = start + i * period;
            long wait = started - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            String host = "127.0.0." + (1 + i % spread);
            String deviceId = "idle-" + i % devicesPerUser;
            CompletableFuture<Device> device = connector.connect(platform.webSocket(host, deviceId),
                    token, user, deviceId, (d, frame) -> { })
                    .whenComplete((d, error) -> {
                        inFlight.release();
                        if (error == null) {
                            synchronized (setup) {
                                setup.recordValue(System.nanoTime() - started);
                            }
                        } else {
                            synchronized (failures) {
                                failures.add(error.toString());
                            }
                        }
                    });
            opening.add(device);
        }
        int opened = 0;
        for (CompletableFuture<Device> device : opening) {
            try {
                keep.add(device.join());
                opened++;
            } catch (RuntimeException e) {
                // counted in failures
            }
        }
        return new Result(connections, opened, connections - opened, setup, before,
                GatewayMemory.now(platform, gatewayPid),
                failures.isEmpty() ? null : failures.get(0));
    }

    private ConnectionCapacity() {
    }
}
