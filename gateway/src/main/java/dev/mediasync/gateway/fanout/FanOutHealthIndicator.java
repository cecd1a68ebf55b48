package dev.mediasync.gateway.fanout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Ready once the delivery reader holds its partitions; part of the readiness group. */
@Component("fanout")
public class FanOutHealthIndicator implements HealthIndicator {

    private final DeliveryReader reader;

    public FanOutHealthIndicator(DeliveryReader reader) {
        this.reader = reader;
    }

    @Override
    public Health health() {
        return reader.isAssigned() ? Health.up().build() : Health.outOfService().build();
    }
}
