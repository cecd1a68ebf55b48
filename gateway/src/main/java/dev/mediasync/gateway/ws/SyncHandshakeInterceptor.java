package dev.mediasync.gateway.ws;

import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.GatewayProperties;
import dev.mediasync.gateway.auth.NewDeviceGuard;
import dev.mediasync.gateway.auth.TokenVerifier;
import dev.mediasync.gateway.auth.VerifiedToken;
import dev.mediasync.gateway.ops.RateLimiter;
import dev.mediasync.gateway.rest.Problems;
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
 * new-device guard, the user's read bucket (a connect reads a snapshot) and the user's connection cap.
 * A refusal answers the upgrade with its HTTP status (401 without a valid token) and a problem body.
 */
@Component
public class SyncHandshakeInterceptor implements HandshakeInterceptor {

    static final String TOKEN_ATTRIBUTE = "sync.token";

    private final TokenVerifier verifier;
    private final NewDeviceGuard newDevices;
    private final RateLimiter rateLimiter;
    private final SessionRegistry registry;
    private final GatewayProperties properties;

    public SyncHandshakeInterceptor(TokenVerifier verifier, NewDeviceGuard newDevices, RateLimiter rateLimiter,
                                    SessionRegistry registry, GatewayProperties properties) {
        this.verifier = verifier;
        this.newDevices = newDevices;
        this.rateLimiter = rateLimiter;
        this.registry = registry;
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
            attributes.put(TOKEN_ATTRIBUTE, token);
            return true;
        } catch (SyncException e) {
            response.setStatusCode(HttpStatusCode.valueOf(e.code().httpStatus()));
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            if (e.code().httpStatus() == 401) {
                response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            response.getBody().write(Problems.json(e));
            return false;
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
