package dev.mediasync.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Merges the op log into state stores, emits resolved state and answers snapshot queries. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StateProcessorApplication {

    /**
     * The application with its own configuration file, {@code state-processor.yml}: the services share one classpath
     * in tests and must not read each other's {@code application.yml}.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(StateProcessorApplication.class).properties("spring.config.name=state-processor");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
