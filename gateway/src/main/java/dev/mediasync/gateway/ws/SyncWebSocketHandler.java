package dev.mediasync.gateway.ws;

import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.auth.TokenVerifier;
import dev.mediasync.gateway.auth.VerifiedToken;
import dev.mediasync.gateway.base.GatewayProperties.Delivery;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.ops.OpSubmitter;
import dev.mediasync.gateway.ops.RateLimiter;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DeviceHeartbeat;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.TokenRefresh;
import dev.mediasync.protocol.TokenRefreshed;
import dev.mediasync.protocol.UserEvent;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /ws} endpoint. Decodes and validates each frame and hands the op to the {@link OpSubmitter};
 * every refusal is an {@code error} frame and the connection stays open, whatever the frame held. On
 * connect the device is registered for fan-out first, its connect op written (from which on the
 * processor routes its user's events here) and its snapshot read after that op, so nothing falls
 * between them.
 */
@Component
public class SyncWebSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SyncWebSocketHandler.class);
    private static final String SESSION_ATTRIBUTE = "sync.session";

    private final MessageCodec codec;
    private final OpSubmitter ops;
    private final RateLimiter rateLimiter;
    private final SessionRegistry registry;
    private final GatewayProperties properties;
    private final ExecutorService senders;
    private final TokenVerifier verifier;
    private final TokenExpiry expiry;
    private final SnapshotDelivery snapshotDelivery;

    public SyncWebSocketHandler(MessageCodec codec, OpSubmitter ops, RateLimiter rateLimiter,
                                SnapshotDelivery snapshotDelivery, SessionRegistry registry,
                                GatewayProperties properties, SenderPool senders, TokenVerifier verifier,
                                TokenExpiry expiry) {
        this.codec = codec;
        this.ops = ops;
        this.rateLimiter = rateLimiter;
        this.snapshotDelivery = snapshotDelivery;
        this.registry = registry;
        this.properties = properties;
        this.senders = senders.executor();
        this.verifier = verifier;
        this.expiry = expiry;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) throws IOException {
        VerifiedToken token = (VerifiedToken) socket.getAttributes().get(SyncHandshakeInterceptor.TOKEN_ATTRIBUTE);
        AuthenticatedDevice device = token.device();
        DeviceSession session = new DeviceSession(FrameSink.of(socket, properties.sendTimeout()), device, token.expiresAt(), UUID.randomUUID().toString(),
                senders, properties.sendBuffer().toBytes(),
                new FrameAssembler(properties.maxFrameBytes(), properties.frameCloseLimit().toBytes()),
                System::currentTimeMillis);
        if (!registry.tryAdd(session, properties.maxConnectionsPerUser())) {
            // several upgrades of one user passed the handshake's check at once: this one is over the cap
            socket.sendMessage(new TextMessage(codec.encode(ErrorMessage.of(null,
                    SessionRegistry.tooManyConnections(properties.maxConnectionsPerUser())))));
            socket.close(TOO_MANY_CONNECTIONS);
            return;
        }
        socket.getAttributes().put(SESSION_ATTRIBUTE, session);
        session.watchExpiry(expiry.watch(session));
        CompletableFuture<Long> connected = ops.presence(device, PresenceEvent.CONNECT, session.sessionId());
        snapshotDelivery.deliver(session, properties.delivery() == Delivery.ROUTED ? connected
                : CompletableFuture.completedFuture(UserEvent.NO_VERSION));
    }

    /** 1008: a connection over the user's cap that passed the upgrade at the same moment as another. */
    static final CloseStatus TOO_MANY_CONNECTIONS = CloseStatus.POLICY_VIOLATION.withReason("too many connections for this user");

    /** 1009: a frame past {@code frame-close-limit}, closed before its end. */
    static final CloseStatus FRAME_TOO_BIG = CloseStatus.TOO_BIG_TO_PROCESS.withReason("frame over the close limit");

    /**
     * Large frames arrive in parts; they are assembled up to the frame limit, refused beyond it, and the
     * connection closes once one passes the close limit.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage part) {
        DeviceSession session = session(socket);
        if (session == null) {
            return; // refused at connect
        }
        session.touch();
        FrameAssembler.Frame frame = session.frames().add(part.getPayload(), part.isLast());
        if (frame == null) {
            return;
        }
        if (frame.verdict() == FrameAssembler.Verdict.CLOSE) {
            session.close(FRAME_TOO_BIG);
            return;
        }
        if (frame.verdict() == FrameAssembler.Verdict.OVERSIZED) {
            refuse(session, null, new SyncException(ErrorCode.TOO_LARGE, "frame is " + frame.bytes()
                    + " bytes; at most " + properties.maxFrameBytes() + " are accepted"));
            return;
        }
        try {
            handle(session, frame.text());
        } catch (RuntimeException e) {
            log.error("Unexpected failure on a frame of {} of user {}", session.device().deviceId(),
                    session.device().userId(), e);
            refuse(session, null, new SyncException(ErrorCode.INTERNAL, "the frame could not be handled ("
                    + e.getClass().getSimpleName() + "); nothing was written"));
        }
    }

    private void handle(DeviceSession session, String payload) {
        // parsed once: a refusal (a bad field, the rate limit) names the op when the frame names a valid one
        JsonNode frame = null;
        SyncException unreadable = null;
        try {
            frame = codec.parse(payload);
        } catch (SyncException e) {
            unreadable = e;
        }
        ClientRequest request;
        try {
            rateLimiter.acquireWrite(session.device()); // unreadable frames count too
            if (unreadable != null) {
                throw unreadable;
            }
            request = codec.decodeClient(frame);
        } catch (SyncException e) {
            refuse(session, frame == null ? null : Ids.opIdOrNull(frame.get("op_id")), e);
            return;
        }
        if (request.message() instanceof DeviceHeartbeat) {
            heartbeat(session);
            return;
        }
        if (request.message() instanceof TokenRefresh refresh) {
            refreshToken(session, refresh);
            return;
        }
        String opId = request.message().opId();
        try {
            ops.submit(session.device(), request).whenComplete((ack, error) -> {
                if (error == null) {
                    session.reply(codec.encode(ack));
                } else {
                    refuse(session, opId, SyncException.of(error, cause -> "the op could not be written; resend it"));
                }
            });
        } catch (SyncException e) {
            refuse(session, opId, e);
        }
    }

    /** A new token for the same user and device extends the connection; anything else is refused. */
    private void refreshToken(DeviceSession session, TokenRefresh refresh) {
        AuthenticatedDevice device = session.device();
        try {
            VerifiedToken token = verifier.verifyToken(refresh.token(), device.deviceId(), null);
            if (!token.device().equals(device)) {
                throw new SyncException(ErrorCode.FORBIDDEN, "the new token is for another user or device");
            }
            session.extendTo(token.expiresAt());
            session.reply(codec.encode(new TokenRefreshed(token.expiresAt().toEpochMilli())));
        } catch (SyncException e) {
            // an unusable new token is a refusal, not the end: the current one still holds until it expires
            refuse(session, null, e.code() == ErrorCode.UNAUTHORIZED
                    ? new SyncException(ErrorCode.BAD_REQUEST, "token_refresh: " + e.getMessage()) : e);
        }
    }

    /** Binary frames are not part of the protocol: a typed refusal, once per frame, and the connection stays. */
    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        DeviceSession session = session(socket);
        if (session != null && message.isLast()) {
            session.touch();
            refuse(session, null, SyncException.badRequest("binary frames are not part of the protocol; send each "
                    + "message as a JSON text frame"));
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
        DeviceSession session = session(socket);
        if (session == null) {
            return;
        }
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

    /** The session of a socket, or {@code null} when it was refused at connect. */
    private static DeviceSession session(WebSocketSession socket) {
        Map<String, Object> attributes = socket.getAttributes();
        return (DeviceSession) attributes.get(SESSION_ATTRIBUTE);
    }
}
