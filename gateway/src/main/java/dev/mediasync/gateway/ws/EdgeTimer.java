package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.base.DaemonThreads;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One timer thread for the edge's small delayed tasks (token expiry, snapshot retries); a cancelled task
 * is dropped at once, so a closed connection leaves nothing behind.
 */
@Component
public class EdgeTimer implements DisposableBean {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("edge-timer"));

    public EdgeTimer() {
        timer.setRemoveOnCancelPolicy(true);
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
