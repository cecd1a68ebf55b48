package dev.mediasync.gateway.ws;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.auth.NewDeviceGuard;
import dev.mediasync.gateway.auth.TokenVerifier;
import dev.mediasync.gateway.auth.VerifiedToken;
import dev.mediasync.gateway.ops.RateLimiter;
import dev.mediasync.error.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Authenticates and admits the upgrade: a bearer token in the {@code Authorization} header or the
 * {@code access_token} query parameter, the device from {@code device_id} or the token, then the
 * new-device guard, the user's connection cap and read bucket (a connect reads a snapshot), and last the
 * gateway's {@link ConnectAdmission}, which every user shares.
 * A refusal answers the upgrade with its HTTP status (401 without a valid token) and a problem body.
 */
@Component
public class SyncHandshakeInterceptor implements HandshakeInterceptor {

    static final String TOKEN_ATTRIBUTE = "sync.token";

    private final TokenVerifier verifier;
    private final NewDeviceGuard newDevices;
    private final RateLimiter rateLimiter;
    private final SessionRegistry registry;
    private final ConnectAdmission admission;
    private final GatewayProperties properties;

    public SyncHandshakeInterceptor(TokenVerifier verifier, NewDeviceGuard newDevices, RateLimiter rateLimiter,
                                    SessionRegistry registry, ConnectAdmission admission, GatewayProperties properties) {
        this.verifier = verifier;
        this.newDevices = newDevices;
        this.rateLimiter = rateLimiter;
        this.registry = registry;
        this.admission = admission;
        this.properties = properties;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) throws IOException {
        HttpServletRequest servlet = ((ServletServerHttpRequest) request).getServletRequest();
        try {
            VerifiedToken token = verifier.verifyToken(token(servlet), servlet.getParameter("device_id"), null);
            AuthenticatedDevice device = token.device();
            newDevices.admit(device);
            if (registry.countOf(device.userId()) >= properties.maxConnectionsPerUser()) {
                throw SessionRegistry.tooManyConnections(properties.maxConnectionsPerUser());
            }
            rateLimiter.acquireRead(device.userId());
            // last: a connect the user's own limits refuse takes nothing from the gateway's shared admission
            long retryAfterMs = admission.admit();
            if (retryAfterMs > 0) {
                refuse(response, new SyncException(ErrorCode.UNAVAILABLE, "this gateway is taking in more connections "
                        + "than it can serve right now; reconnect after retry_after_ms"), retryAfterMs);
                return false;
            }
            attributes.put(TOKEN_ATTRIBUTE, token);
            return true;
        } catch (SyncException e) {
            refuse(response, e, 0);
            return false;
        }
    }

    /** Answers the upgrade with the refusal's status and problem body (and when to come back, if known). */
    private static void refuse(ServerHttpResponse response, SyncException e, long retryAfterMs) throws IOException {
        response.setStatusCode(HttpStatusCode.valueOf(e.code().httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.code().httpStatus() == 401) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (retryAfterMs > 0) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString((retryAfterMs + 999) / 1000));
            response.getBody().write(Problems.json(e, Map.of("retry_after_ms", retryAfterMs)));
        } else {
            response.getBody().write(Problems.json(e));
        }
    }

    static String token(HttpServletRequest request) {
        String header = TokenVerifier.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        return header != null ? header : request.getParameter("access_token");
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // nothing to do
    }
}
