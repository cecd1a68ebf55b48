package dev.mediasync.processor.device;

import dev.mediasync.clock.Hlc;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.processor.topology.Emitter;
import dev.mediasync.protocol.DeviceState;
import java.time.Duration;
import org.apache.kafka.streams.processor.Punctuator;

/** Marks devices offline once they have been silent for the presence timeout (wall-clock punctuation). */
public final class PresenceSweeper implements Punctuator {

    private final EntityStore entities;
    private final PresenceStore presence;
    private final Emitter emit;
    private final long timeoutMs;

    public PresenceSweeper(EntityStore entities, PresenceStore presence, Emitter emit, Duration timeout) {
        this.entities = entities;
        this.presence = presence;
        this.emit = emit;
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    public void punctuate(long now) {
        for (PresenceStore.Online silent : presence.silentSince(now - timeoutMs)) {
            presence.remove(silent.userId(), silent.deviceId());
            DeviceState known = entities.device(silent.userId(), silent.deviceId());
            if (known == null) {
                continue;
            }
            DeviceState offline = known.withPresence(false, silent.activity().lastActivity(),
                    DeviceRegistry.next(known.timestamp(), Hlc.of(now, 0)));
            entities.putDevice(silent.userId(), offline, true);
            emit.device(silent.userId(), offline, now);
        }
    }
}
