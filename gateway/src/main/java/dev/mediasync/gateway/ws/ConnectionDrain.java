package dev.mediasync.gateway.ws;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * When the gateway stops (a deploy, a scale-down), closes every device connection with 1012 "service
 * restart" before the web server stops: devices reconnect at once, through the load balancer, to a
 * gateway that stays, instead of finding out from a dead socket; each close is a clean one, so the
 * device's presence moves with it. Stops first (the highest phase); the op-log writer is still up.
 */
@Component
public class ConnectionDrain implements SmartLifecycle {

    public static final CloseStatus RECONNECT_ELSEWHERE = CloseStatus.SERVICE_RESTARTED
            .withReason("gateway stopping: reconnect");

    private final SessionRegistry sessions;
    private volatile boolean running;

    public ConnectionDrain(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        sessions.all().forEach(session -> session.close(RECONNECT_ELSEWHERE));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
