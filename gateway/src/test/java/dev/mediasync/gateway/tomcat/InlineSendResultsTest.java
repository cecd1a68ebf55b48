package dev.mediasync.gateway.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.websocket.SendHandler;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.websocket.WsSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InlineSendResultsTest {

    private Executor pool;

    @BeforeEach
    void installOnAConnector() {
        Connector connector = new Connector("HTTP/1.1");
        InlineSendResults.install(connector);
        pool = ((AbstractProtocol<?>) connector.getProtocolHandler()).getExecutor();
        assertThat(pool).isInstanceOf(InlineSendResults.class);
    }

    @AfterEach
    void shutDown() {
        ((InlineSendResults) pool).shutdownNow();
    }

    @Test
    void aSendResultRunsOnTheThreadThatFinishedTheWriteAndOtherWorkOnThePool() throws Exception {
        AtomicReference<Thread> resultThread = new AtomicReference<>();
        pool.execute(sendResult(result -> resultThread.set(Thread.currentThread())));
        assertThat(resultThread.get()).isSameAs(Thread.currentThread());

        AtomicReference<Thread> taskThread = new AtomicReference<>();
        pool.execute(() -> taskThread.set(Thread.currentThread()));
        await().atMost(Duration.ofSeconds(5)).until(() -> taskThread.get() != null);
        assertThat(taskThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(taskThread.get().getName()).contains("-exec-");
    }

    @Test
    void aSendResultStartedFromASendResultGoesToThePoolSoTheSendsOfALargeFrameDoNotNest() throws Exception {
        AtomicReference<Thread> nested = new AtomicReference<>();
        Runnable inner = sendResult(result -> nested.set(Thread.currentThread()));
        pool.execute(sendResult(result -> pool.execute(inner)));
        await().atMost(Duration.ofSeconds(5)).until(() -> nested.get() != null);
        assertThat(nested.get()).isNotSameAs(Thread.currentThread());

        AtomicReference<Thread> next = new AtomicReference<>();
        pool.execute(sendResult(result -> next.set(Thread.currentThread())));
        assertThat(next.get()).as("inline again once the first returned").isSameAs(Thread.currentThread());
    }

    /** Tomcat's own runnable for a send result, as its WebSocket server endpoint creates it. */
    private static Runnable sendResult(SendHandler handler) throws Exception {
        Constructor<?> constructor = InlineSendResults.SEND_RESULT.getDeclaredConstructor(WsSession.class,
                SendHandler.class, Throwable.class);
        constructor.setAccessible(true);
        return (Runnable) constructor.newInstance(null, handler, null);
    }
}
