package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.base.DaemonThreads;
import dev.mediasync.gateway.base.GatewayProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads that start writes to device connections and send pings, apart from Kafka and request
 * threads. Writes complete without them (see {@link DeviceSession}), so a stuck device holds none.
 */
@Component
public class SenderPool implements DisposableBean {

    private final ExecutorService executor;

    public SenderPool(GatewayProperties properties) {
        this.executor = Executors.newFixedThreadPool(properties.senderThreads(), DaemonThreads.named("ws-sender"));
    }

    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
