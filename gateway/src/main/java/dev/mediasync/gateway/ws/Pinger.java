package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.base.GatewayProperties;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Pings every connection once per {@code ping-interval}; a connection that has sent neither a frame nor a
 * pong for {@code presence-timeout} is closed (the device is gone without saying so).
 *
 * <p>The pings are spread over the interval: every tick pings the connections of one slot, chosen by the
 * connection's id. Pinging all at once made every device answer at once, and each answer may write a
 * presence heartbeat: a burst of one op per connection every interval, which the devices' own ops queued
 * behind.
 */
@Component
public class Pinger implements SchedulingConfigurer {

    static final CloseStatus SILENT = CloseStatus.SESSION_NOT_RELIABLE.withReason("no frame or pong within the presence timeout");

    /** How often one slot is pinged; an interval shorter than this pings everyone every tick. */
    private static final long TICK_MS = 1000;

    private final SessionRegistry registry;
    private final GatewayProperties properties;
    private final int slots;
    private final LongSupplier clock;
    private long tick;

    @Autowired
    public Pinger(SessionRegistry registry, GatewayProperties properties) {
        this(registry, properties, System::currentTimeMillis);
    }

    /** @param clock wall-clock milliseconds (a fake one in tests) */
    Pinger(SessionRegistry registry, GatewayProperties properties, LongSupplier clock) {
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
        this.slots = (int) Math.max(1, properties.pingInterval().toMillis() / TICK_MS);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedRateTask(this::pingSlot,
                Duration.ofMillis(Math.min(TICK_MS, properties.pingInterval().toMillis())));
    }

    void pingSlot() {
        int slot = (int) (tick++ % slots);
        long silentSince = clock.getAsLong() - properties.presenceTimeout().toMillis();
        for (DeviceSession session : registry.all()) {
            if (Math.floorMod(session.sessionId().hashCode(), slots) != slot) {
                continue;
            }
            if (session.lastActivity() < silentSince) {
                session.close(SILENT);
                continue;
            }
            session.ping();
        }
    }
}
