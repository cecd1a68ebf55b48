package dev.mediasync.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.base.GatewayProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Bounds how many device ids one user may start using within an hour (on this gateway): the client picks
 * its device id, and every new one becomes a device in the registry and a rate-limit bucket of its own.
 * A device id used within the hour is not new.
 */
@Component
public class NewDeviceGuard {

    static final Duration WINDOW = Duration.ofHours(1);

    private final Clock clock;
    private final int maxPerWindow;
    private final Cache<String, Map<String, Long>> seen;

    @Autowired
    public NewDeviceGuard(GatewayProperties properties) {
        this(properties, Clock.systemUTC());
    }

    NewDeviceGuard(GatewayProperties properties, Clock clock) {
        this.clock = clock;
        this.maxPerWindow = properties.maxNewDevicesPerHour();
        this.seen = Caffeine.newBuilder().expireAfterAccess(WINDOW).maximumSize(properties.rateLimitBuckets()).build();
    }

    /** @throws SyncException {@code limit_exceeded} for one new device id too many within the hour */
    public void admit(AuthenticatedDevice device) {
        Map<String, Long> devices = seen.get(device.userId(), user -> new LinkedHashMap<>());
        long now = clock.millis();
        synchronized (devices) {
            devices.values().removeIf(firstSeen -> now - firstSeen >= WINDOW.toMillis());
            if (devices.containsKey(device.deviceId())) {
                return;
            }
            if (devices.size() >= maxPerWindow) {
                throw new SyncException(ErrorCode.LIMIT_EXCEEDED, "more than " + maxPerWindow
                        + " new device ids for this user within an hour; reuse a device id");
            }
            devices.put(device.deviceId(), now);
        }
    }
}
