package dev.mediasync.processor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Merges the op log into state stores, emits resolved state and answers snapshot queries. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StateProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(StateProcessorApplication.class, args);
    }
}
