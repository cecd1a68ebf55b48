package dev.mediasync.processor.device;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.Op;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.Punctuator;

/**
 * Finds devices silent for the presence timeout (a wall-clock decision) and writes a {@code timeout}
 * presence op for each into the op log. The device goes offline when that op is applied, like any other
 * change, so a replay of the log reproduces it; the sweeper itself changes no state.
 */
public final class PresenceSweeper implements Punctuator {

    private final PresenceStore presence;
    private final Emitter emit;
    private final long timeoutMs;
    /** Timeouts written and not yet applied, with the activity they name: each is written once. */
    private final Map<String, Long> written = new HashMap<>();

    public PresenceSweeper(PresenceStore presence, Emitter emit, Duration timeout) {
        this.presence = presence;
        this.emit = emit;
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    public void punctuate(long now) {
        List<PresenceStore.Online> silent = presence.silentSince(now - timeoutMs);
        Map<String, Long> stillSilent = silent.stream().collect(Collectors.toMap(PresenceSweeper::key,
                online -> online.activity().lastActivity()));
        written.entrySet().retainAll(stillSilent.entrySet());
        for (PresenceStore.Online online : silent) {
            long lastActivity = online.activity().lastActivity();
            if (written.putIfAbsent(key(online), lastActivity) == null) {
                emit.op(new Op(online.userId(), online.deviceId(), Hlc.of(now, 0), now,
                        new DevicePresence(PresenceEvent.TIMEOUT, online.activity().sessionId(), lastActivity)), now);
            }
        }
    }

    private static String key(PresenceStore.Online online) {
        return online.userId() + '\n' + online.deviceId();
    }
}
