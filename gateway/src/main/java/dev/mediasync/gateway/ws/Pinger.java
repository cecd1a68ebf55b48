package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.GatewayProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Pings every connection every {@code ping-interval}; a connection that has sent neither a frame nor a
 * pong for {@code presence-timeout} is closed (the device is gone without saying so).
 */
@Component
public class Pinger {

    static final CloseStatus SILENT = CloseStatus.SESSION_NOT_RELIABLE.withReason("no frame or pong within the presence timeout");

    private final SessionRegistry registry;
    private final GatewayProperties properties;

    public Pinger(SessionRegistry registry, GatewayProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Scheduled(fixedRateString = "${sync.gateway.ping-interval:30s}")
    public void pingAll() {
        long silentSince = System.currentTimeMillis() - properties.presenceTimeout().toMillis();
        for (DeviceSession session : registry.all()) {
            if (session.lastActivity() < silentSince) {
                session.close(SILENT);
                continue;
            }
            session.ping();
        }
    }
}
