package dev.mediasync.gateway;

import dev.mediasync.gateway.tomcat.TomcatTuning;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The devices' edge: WebSocket and REST in, ops to Kafka, resolved state back out to every device. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GatewayApplication {

    private static final String WEBSOCKET_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    /**
     * The application with its own configuration file, {@code gateway.yml}: the services share one classpath
     * in tests and must not read each other's {@code application.yml}.
     */
    public static SpringApplicationBuilder application() {
        // Tomcat's WebSocket frame read and write buffers, per connection (default 8 KiB each); read once,
        // when Tomcat's WebSocket classes load. Larger frames pass in parts.
        if (System.getProperty(WEBSOCKET_BUFFER_PROPERTY) == null) {
            System.setProperty(WEBSOCKET_BUFFER_PROPERTY, Integer.toString(TomcatTuning.IO_BUFFER_BYTES));
        }
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
