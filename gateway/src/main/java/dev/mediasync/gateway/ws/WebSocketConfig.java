package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** Registers {@code /ws} with its authenticating handshake and the allowed origins. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class WebSocketConfig implements WebSocketConfigurer {

    /**
     * The container buffers whole frames up to this size; the protocol limit is checked by the handler so
     * that an oversized frame gets a {@code too_large} error instead of a closed connection. Only frames
     * beyond this hard ceiling close the connection (1009).
     */
    static final int CONTAINER_FRAME_CEILING = 64 * 1024;

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

    @Bean
    public ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(Math.max(CONTAINER_FRAME_CEILING, properties.maxFrameBytes() + 1));
        return container;
    }
}
