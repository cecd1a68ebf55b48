package dev.mediasync.processor.streams;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Ready only once the stores are restored and the stream runs; part of the readiness group. */
@Component("streams")
public class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsRunner runner;

    public StreamsHealthIndicator(StreamsRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        Health.Builder builder = runner.isReady() ? Health.up() : Health.outOfService();
        return builder.withDetail("state", runner.streams().state().name()).build();
    }
}
