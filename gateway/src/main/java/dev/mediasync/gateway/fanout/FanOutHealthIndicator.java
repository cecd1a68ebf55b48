package dev.mediasync.gateway.fanout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Ready once the fan-out consumer holds its partitions; part of the readiness group. */
@Component("fanout")
public class FanOutHealthIndicator implements HealthIndicator {

    private final StateFanOut fanOut;

    public FanOutHealthIndicator(StateFanOut fanOut) {
        this.fanOut = fanOut;
    }

    @Override
    public Health health() {
        return fanOut.isAssigned() ? Health.up().build() : Health.outOfService().build();
    }
}
