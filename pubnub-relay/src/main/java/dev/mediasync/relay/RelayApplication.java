package dev.mediasync.relay;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Publishes resolved state, device events and commands to PubNub for devices without a WebSocket. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RelayApplication {

    /**
     * The application with its own configuration file, {@code pubnub-relay.yml}: the services share one classpath
     * in tests and must not read each other's {@code application.yml}.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(RelayApplication.class).properties("spring.config.name=pubnub-relay");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
