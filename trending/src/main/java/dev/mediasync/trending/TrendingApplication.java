package dev.mediasync.trending;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * The reference downstream consumer: reads {@code sync.state.v1} as any search or recommendation service
 * would and keeps the most added and most watched titles of a sliding window in {@code sync.trending.v1}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableKafkaStreams
public class TrendingApplication {

    /** With its own configuration file, {@code trending.yml} (the services share one classpath in tests). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(TrendingApplication.class).properties("spring.config.name=trending");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
