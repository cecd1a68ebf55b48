package dev.mediasync.gateway.ws;

import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.GatewayProperties;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.ops.OpSubmitter;
import dev.mediasync.gateway.ops.RateLimiter;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DeviceHeartbeat;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.UserEvent;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import jakarta.websocket.Session;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /ws} endpoint. Decodes and validates each frame and hands the op to the {@link OpSubmitter};
 * every refusal is an {@code error} frame and the connection stays open. On connect the device is
 * registered for fan-out first and its snapshot read second, so nothing falls between them.
 */
@Component
public class SyncWebSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SyncWebSocketHandler.class);
    private static final String SESSION_ATTRIBUTE = "sync.session";

    private final MessageCodec codec;
    private final OpSubmitter ops;
    private final RateLimiter rateLimiter;
    private final SnapshotClient snapshots;
    private final SessionRegistry registry;
    private final GatewayProperties properties;
    private final ExecutorService senders;

    public SyncWebSocketHandler(MessageCodec codec, OpSubmitter ops, RateLimiter rateLimiter, SnapshotClient snapshots,
                                SessionRegistry registry, GatewayProperties properties, SenderPool senders) {
        this.codec = codec;
        this.ops = ops;
        this.rateLimiter = rateLimiter;
        this.snapshots = snapshots;
        this.registry = registry;
        this.properties = properties;
        this.senders = senders.executor();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        AuthenticatedDevice device = (AuthenticatedDevice) socket.getAttributes()
                .get(SyncHandshakeInterceptor.DEVICE_ATTRIBUTE);
        if (socket instanceof NativeWebSocketSession nativeSession) {
            // Tomcat blocks a send up to this long on a device that reads nothing; then the send fails.
            nativeSession.getNativeSession(Session.class).getUserProperties()
                    .put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", properties.sendTimeout().toMillis());
        }
        DeviceSession session = new DeviceSession(socket, device, UUID.randomUUID().toString(), senders,
                properties.sendBuffer().toBytes(), properties.maxFrameBytes());
        socket.getAttributes().put(SESSION_ATTRIBUTE, session);
        registry.add(session);
        ops.presence(device, PresenceEvent.CONNECT, session.sessionId());
        snapshots.read(device.userId()).whenComplete((snapshot, error) -> {
            if (error != null) {
                log.warn("No snapshot for {} of user {}: {}", device.deviceId(), device.userId(), error.getMessage());
                session.reply(codec.encode(new ErrorMessage(null, ErrorCode.UNAVAILABLE,
                        "the snapshot could not be read; state events follow as they happen")));
                session.release(null, UserEvent.NO_VERSION);
            } else {
                session.release(snapshot.json(), snapshot.version());
            }
        });
    }

    /** Large frames arrive in parts; they are assembled up to the frame limit, and refused beyond it. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage part) {
        DeviceSession session = session(socket);
        session.touch();
        FrameAssembler.Frame frame = session.frames().add(part.getPayload(), part.isLast());
        if (frame == null) {
            return;
        }
        if (frame.oversized()) {
            refuse(session, null, new SyncException(ErrorCode.TOO_LARGE, "frame is " + frame.bytes()
                    + " bytes; at most " + properties.maxFrameBytes() + " are accepted"));
            return;
        }
        String payload = frame.text();
        ClientRequest request;
        try {
            rateLimiter.acquire(session.device());
            request = codec.decodeClient(payload);
        } catch (SyncException e) {
            refuse(session, opIdOf(payload), e);
            return;
        }
        if (request.message() instanceof DeviceHeartbeat) {
            heartbeat(session);
            return;
        }
        String opId = request.message().opId();
        try {
            ops.submit(session.device(), request).whenComplete((ack, error) -> {
                if (error == null) {
                    session.reply(codec.encode(ack));
                } else {
                    refuse(session, opId, unwrap(error));
                }
            });
        } catch (SyncException e) {
            refuse(session, opId, e);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
        DeviceSession session = session(socket);
        session.touch();
        heartbeat(session);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        DeviceSession session = session(socket);
        if (session == null) {
            return;
        }
        registry.remove(session);
        session.close(status);
        ops.presence(session.device(), PresenceEvent.DISCONNECT, session.sessionId());
    }

    private void heartbeat(DeviceSession session) {
        if (session.heartbeatDue(properties.presenceHeartbeatInterval().toMillis())) {
            ops.presence(session.device(), PresenceEvent.HEARTBEAT, session.sessionId());
        }
    }

    private void refuse(DeviceSession session, String opId, SyncException e) {
        session.reply(codec.encode(ErrorMessage.of(opId, e)));
    }

    /** The op id of a frame that failed validation, when it has one, so the client knows which op failed. */
    private String opIdOf(String payload) {
        try {
            JsonNode opId = codec.parse(payload).get("op_id");
            return opId != null && opId.isString() && opId.stringValue().length() <= 64 ? opId.stringValue() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static SyncException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof SyncException sync ? sync
                : new SyncException(ErrorCode.UNAVAILABLE, "the op could not be written; resend it");
    }

    private static DeviceSession session(WebSocketSession socket) {
        Map<String, Object> attributes = socket.getAttributes();
        return (DeviceSession) attributes.get(SESSION_ATTRIBUTE);
    }
}
