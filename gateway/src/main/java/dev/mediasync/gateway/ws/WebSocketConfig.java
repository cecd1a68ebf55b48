package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.base.GatewayProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers {@code /ws} with its authenticating handshake and the allowed origins. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class WebSocketConfig implements WebSocketConfigurer {

    private final SyncWebSocketHandler handler;
    private final SyncHandshakeInterceptor handshake;
    private final GatewayProperties properties;

    public WebSocketConfig(SyncWebSocketHandler handler, SyncHandshakeInterceptor handshake,
                           GatewayProperties properties) {
        this.handler = handler;
        this.handshake = handshake;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws")
                .addInterceptors(handshake)
                .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
    }
}
