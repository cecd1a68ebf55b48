package dev.mediasync.gateway.ws;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Writes one connection's frames without holding a thread while the device reads them: a text send is
 * started and its end reported to a callback (Tomcat's async remote, failing after the send timeout).
 * Pings and closes are control frames of a few bytes; they may block, at most for the send timeout.
 */
interface FrameSink {

    /** Starts sending {@code text}; {@code done} gets {@code null} once it is written, or the failure. */
    void send(String text, Consumer<Throwable> done);

    /** Whether {@link #send} returns only once the frame is written (then a sender thread must call it). */
    default boolean blocks() {
        return true;
    }

    void ping() throws IOException;

    void close(CloseStatus status) throws IOException;

    static FrameSink of(WebSocketSession socket, Duration sendTimeout) {
        Session session = socket instanceof NativeWebSocketSession nativeSession
                ? nativeSession.getNativeSession(Session.class) : null;
        if (session == null) {
            return new Blocking(socket);
        }
        // Tomcat blocks a control frame up to this long on a device that reads nothing; then it fails.
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeout.toMillis());
        RemoteEndpoint.Async remote = session.getAsyncRemote();
        remote.setSendTimeout(sendTimeout.toMillis());
        return new Blocking(socket) {
            @Override
            public void send(String text, Consumer<Throwable> done) {
                try {
                    remote.sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
                } catch (RuntimeException e) { // closed meanwhile, or a write still in progress
                    done.accept(e);
                }
            }

            @Override
            public boolean blocks() {
                return false;
            }
        };
    }

    /** Through Spring's session, each send complete when the call returns (other containers, tests). */
    class Blocking implements FrameSink {

        private final WebSocketSession socket;

        Blocking(WebSocketSession socket) {
            this.socket = socket;
        }

        @Override
        public void send(String text, Consumer<Throwable> done) {
            try {
                socket.sendMessage(new TextMessage(text));
            } catch (IOException | RuntimeException e) {
                done.accept(e);
                return;
            }
            done.accept(null);
        }

        @Override
        public void ping() throws IOException {
            socket.sendMessage(new PingMessage(ByteBuffer.allocate(0)));
        }

        @Override
        public void close(CloseStatus status) throws IOException {
            socket.close(status);
        }
    }
}
