package dev.mediasync.gateway.tomcat;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * What the gateway changes in Tomcat, in one place: the buffers every connection allocates, the thread a
 * send's result runs on, and encoded slashes in a path.
 */
@Configuration(proxyBeanMethods = false)
public class TomcatTuning {

    /**
     * Tomcat allocates these buffers for every connection (a text buffer of N chars is 2N bytes), so they
     * decide the memory per connection. Frames larger than the text buffer arrive in parts, which the
     * handler accepts (partial messages). 512 chars and 1 KiB I/O buffers measured 18.5 KiB of heap per
     * idle connection, against 24.8 with 1,024 and 2 KiB and 40.6 with 4,096 and 4 KiB, at no CPU cost per
     * op that a run could see: op frames are a few hundred bytes; a longer one is read or written in parts.
     */
    static final int TEXT_BUFFER_CHARS = 512;
    static final int BINARY_BUFFER_BYTES = 512;
    /** Socket and frame I/O buffers, each allocated per connection (Tomcat's default is 8 KiB each). */
    public static final int IO_BUFFER_BYTES = 1024;

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

    /**
     * A content id may hold {@code /} ({@code show/s01/e02}): in a path it is sent encoded as {@code %2F},
     * which Tomcat refuses by default (400). Passed through, Spring matches it inside one path segment and
     * decodes it into the id, so {@code /api/v1/sync/progress/show%2Fs01%2Fe02} names that title.
     */
    @Bean
    public TomcatConnectorCustomizer encodedSlashesInPathSegments() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    public ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(TEXT_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(BINARY_BUFFER_BYTES);
        return container;
    }
}
