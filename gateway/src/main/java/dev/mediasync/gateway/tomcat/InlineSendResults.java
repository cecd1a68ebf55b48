package dev.mediasync.gateway.tomcat;

import java.util.concurrent.TimeUnit;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's connector pool, except that the end of a WebSocket async send is reported on the thread that
 * finished the write instead of being handed to a pool thread. Tomcat hands every send result over (the
 * Jakarta spec asks it, so that a handler sending again cannot nest without end); at three frames per op
 * that hand-off was most of the gateway's context switches (a pool thread woken and parked per frame).
 * The gateway's outbound queue continues in a loop when a send completes during the call, so one level
 * inline nests nothing. Everything else (socket reads, writes the poller resumes) still goes to the pool.
 */
final class InlineSendResults extends ThreadPoolExecutor {

    private static final Logger log = LoggerFactory.getLogger(InlineSendResults.class);
    /** Tomcat's runnable for a send result, or {@code null} in a Tomcat without it (then nothing is installed). */
    static final Class<?> SEND_RESULT = sendResultClass();
    /**
     * Whether this thread is running a send result already. A frame longer than Tomcat's buffer is written
     * in parts, each started from the previous part's result: those go to the pool as Tomcat sends them
     * (run inline, the 2 KiB parts of a 5 MB snapshot nested until the stack overflowed).
     */
    private static final ThreadLocal<Boolean> INLINE = ThreadLocal.withInitial(() -> false);

    /** Tomcat's default for an idle pool thread. */
    private static final long MAX_IDLE_MS = 60_000;

    private InlineSendResults(TaskQueue queue, String name, int minSpareThreads, int maxThreads) {
        super(minSpareThreads, maxThreads, MAX_IDLE_MS, TimeUnit.MILLISECONDS, queue,
                new TaskThreadFactory(name + "-exec-", true, Thread.NORM_PRIORITY));
        queue.setParent(this);
    }

    /** Gives the connector this pool (sized as Tomcat would size its own) and shuts it down with it. */
    static void install(Connector connector) {
        if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) || SEND_RESULT == null) {
            return;
        }
        InlineSendResults pool = new InlineSendResults(new TaskQueue(protocol.getMaxQueueSize()), protocol.getName(),
                protocol.getMinSpareThreads(), protocol.getMaxThreads());
        protocol.setExecutor(pool);
        connector.addLifecycleListener(event -> {
            if (Lifecycle.AFTER_DESTROY_EVENT.equals(event.getType())) {
                pool.shutdownNow();
            }
        });
    }

    @Override
    public void execute(Runnable command) {
        if (command.getClass() == SEND_RESULT && !INLINE.get()) {
            INLINE.set(true);
            try {
                command.run();
            } finally {
                INLINE.set(false);
            }
        } else {
            super.execute(command);
        }
    }

    private static Class<?> sendResultClass() {
        try {
            return Class.forName("org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable");
        } catch (ClassNotFoundException e) {
            log.warn("This Tomcat has no OnResultRunnable: WebSocket send results go through its pool");
            return null;
        }
    }
}
