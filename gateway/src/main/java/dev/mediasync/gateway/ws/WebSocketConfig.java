package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.base.GatewayProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
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
     * Tomcat allocates these buffers for every connection (a text buffer of N chars is 2N bytes), so they
     * decide the memory per connection. Frames larger than the text buffer arrive in parts, which the
     * handler accepts (partial messages): a frame of any size gets {@code too_large}, none closes the
     * connection. 512 chars and 1 KiB I/O buffers measured 18.5 KiB of heap per idle connection, against 24.8
     * with 1,024 and 2 KiB and 40.6 with 4,096 and 4 KiB, at no CPU cost per op that a run could see: op frames
     * are a few hundred bytes; a longer one is read or written in parts.
     */
    static final int TEXT_BUFFER_CHARS = 512;
    static final int BINARY_BUFFER_BYTES = 512;
    /** Socket and frame I/O buffers, each allocated per connection (Tomcat's default is 8 KiB each). */
    public static final int IO_BUFFER_BYTES = 1024;

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

    /**
     * Every device holds a connection, so its socket buffers count 10,000 times; and every frame sent
     * reports its end, which Tomcat's own pool would take on another thread ({@link InlineSendResults}).
     */
    @Bean
    public TomcatConnectorCustomizer webSocketConnector() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(IO_BUFFER_BYTES));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(IO_BUFFER_BYTES));
            InlineSendResults.install(connector);
        };
    }

    @Bean
    public ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(TEXT_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(BINARY_BUFFER_BYTES);
        return container;
    }
}
