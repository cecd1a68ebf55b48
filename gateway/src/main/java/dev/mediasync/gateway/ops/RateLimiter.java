package dev.mediasync.gateway.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Token buckets (Bucket4j) for what devices ask of the gateway: writes (frames and REST writes) per
 * device and per user, so that rotating device ids buys nothing, and reads (REST GETs and WebSocket
 * connects, each a snapshot read) per user. Buckets of users and devices not heard from for ten minutes
 * are dropped, and at most {@code rate-limit-buckets} of each kind are kept.
 */
@Component
public class RateLimiter {

    private static final Duration IDLE = Duration.ofMinutes(10);

    private final GatewayProperties properties;
    private final TimeMeter time;
    private final Cache<AuthenticatedDevice, Bucket> devices;
    private final Cache<String, Bucket> userWrites;
    private final Cache<String, Bucket> userReads;

    @Autowired
    public RateLimiter(GatewayProperties properties) {
        this(properties, TimeMeter.SYSTEM_MILLISECONDS);
    }

    /** @param time the clock of the buckets (a fake one in tests) */
    RateLimiter(GatewayProperties properties, TimeMeter time) {
        this.properties = properties;
        this.time = time;
        this.devices = cache(properties.rateLimitBuckets());
        this.userWrites = cache(properties.rateLimitBuckets());
        this.userReads = cache(properties.rateLimitBuckets());
    }

    /** @throws SyncException {@code rate_limited} when the device or its user has used up its bucket */
    public void acquireWrite(AuthenticatedDevice device) {
        take(devices.get(device, d -> bucket(properties.rateLimitCapacity(), properties.rateLimitPerSecond())),
                "more than " + properties.rateLimitPerSecond() + " messages per second from this device; slow down");
        take(userWrites.get(device.userId(), u -> bucket(properties.userRateLimitCapacity(),
                properties.userRateLimitPerSecond())), "more than " + properties.userRateLimitPerSecond()
                + " messages per second from this user's devices together; slow down");
    }

    /** @throws SyncException {@code rate_limited} when the user has used up its read bucket */
    public void acquireRead(String userId) {
        take(userReads.get(userId, u -> bucket(properties.readRateLimitCapacity(), properties.readRateLimitPerSecond())),
                "more than " + properties.readRateLimitPerSecond() + " reads (REST GETs, connects) per second from "
                        + "this user; slow down");
    }

    private Bucket bucket(int capacity, int perSecond) {
        return Bucket.builder().withCustomTimePrecision(time)
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build();
    }

    private static void take(Bucket bucket, String message) {
        if (!bucket.tryConsume(1)) {
            throw new SyncException(ErrorCode.RATE_LIMITED, message);
        }
    }

    private static <K> Cache<K, Bucket> cache(int size) {
        return Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(size).build();
    }
}
