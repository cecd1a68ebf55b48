package dev.mediasync.gateway.base;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads of the gateway's own pools: named for thread dumps, daemons so they never hold up a shutdown. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory of threads named {@code name-1}, {@code name-2}, … */
    public static ThreadFactory named(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
