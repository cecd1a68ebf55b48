package dev.mediasync.gateway.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.GatewayProperties;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * A token bucket per device (Bucket4j): a burst of {@code rate-limit-capacity} frames, refilled at
 * {@code rate-limit-per-second}. Buckets of devices not heard from for ten minutes are dropped.
 */
@Component
public class RateLimiter {

    private final Cache<AuthenticatedDevice, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).build();
    private final GatewayProperties properties;

    public RateLimiter(GatewayProperties properties) {
        this.properties = properties;
    }

    /** @throws SyncException {@code rate_limited} when the device has used up its bucket */
    public void acquire(AuthenticatedDevice device) {
        Bucket bucket = buckets.get(device, d -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.rateLimitCapacity())
                        .refillGreedy(properties.rateLimitPerSecond(), Duration.ofSeconds(1)).build())
                .build());
        if (!bucket.tryConsume(1)) {
            throw new SyncException(ErrorCode.RATE_LIMITED, "more than " + properties.rateLimitPerSecond()
                    + " messages per second from this device; slow down");
        }
    }
}
