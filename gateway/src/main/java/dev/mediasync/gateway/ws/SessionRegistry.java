package dev.mediasync.gateway.ws;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
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

    /** Adds the session unless its user already holds {@code max} here; returns whether it was added. */
    boolean tryAdd(DeviceSession session, int max) {
        boolean[] added = {false};
        byUser.compute(session.device().userId(), (user, sessions) -> {
            Set<DeviceSession> held = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            if (held.size() < max) {
                added[0] = held.add(session);
            }
            return held.isEmpty() ? null : held;
        });
        return added[0];
    }

    static SyncException tooManyConnections(int max) {
        return new SyncException(ErrorCode.LIMIT_EXCEEDED, "this user already holds " + max
                + " connections on this gateway; close one first");
    }

    int countOf(String userId) {
        return sessionsOf(userId).size();
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
