package dev.mediasync.gateway.fanout;

import dev.mediasync.gateway.ws.DeviceSession;
import dev.mediasync.gateway.ws.SessionRegistry;
import dev.mediasync.protocol.EventEnvelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/**
 * Pushes each event the {@link DeliveryReader} reads to the devices of its user connected here: state
 * events to all of them, commands and refusals only to their target. Routing reads the record's
 * {@link EventEnvelope} headers; the value is pushed as stored (so devices also see its {@code user_id}
 * and {@code version}) and never decoded here.
 */
@Component
public class StateFanOut {

    private final SessionRegistry registry;
    private final Timer lag;

    public StateFanOut(SessionRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.lag = Timer.builder("sync.gateway.fanout.lag")
                .description("From the op's arrival at a gateway (the record's timestamp) to its event being "
                        + "queued for this gateway's devices")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    public void onEvent(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = EventEnvelope.read(record.value(), record.headers());
        if (envelope == null) {
            return; // a tombstone of compaction's own
        }
        Collection<DeviceSession> sessions = registry.sessionsOf(envelope.userId());
        long now = System.currentTimeMillis();
        if (sessions.isEmpty() || envelope.expiredAt(now)) {
            return; // nobody here, or a command past expires_at (a lagging reader): not to be acted on
        }
        lag.record(Duration.ofMillis(Math.max(0, now - record.timestamp())));
        String json = new String(envelope.event(), StandardCharsets.UTF_8);
        long version = envelope.snapshotVersion();
        for (DeviceSession session : sessions) {
            if (envelope.isFor(session.device().deviceId())) {
                session.push(json, version);
            }
        }
    }
}
