package dev.mediasync.gateway.ws;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The device sessions connected to this gateway, by user. */
@Component
public class SessionRegistry {

    private final Map<String, Set<DeviceSession>> byUser = new ConcurrentHashMap<>();

    void add(DeviceSession session) {
        byUser.computeIfAbsent(session.device().userId(), u -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void remove(DeviceSession session) {
        byUser.computeIfPresent(session.device().userId(), (user, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    public Collection<DeviceSession> sessionsOf(String userId) {
        Set<DeviceSession> sessions = byUser.get(userId);
        return sessions == null ? List.of() : sessions;
    }

    public Collection<DeviceSession> all() {
        return byUser.values().stream().flatMap(Set::stream).toList();
    }
}
