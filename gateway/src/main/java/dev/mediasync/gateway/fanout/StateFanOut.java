package dev.mediasync.gateway.fanout;

import dev.mediasync.gateway.ops.OpSubmitter;
import dev.mediasync.gateway.pubnub.PubNubGrants;
import dev.mediasync.gateway.ws.DeviceSession;
import dev.mediasync.gateway.ws.SessionRegistry;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.UserErased;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Pushes each event the {@link DeliveryReader} reads to the devices of its user connected here: state
 * events to all of them, commands and refusals only to their target. Routing reads the record's
 * {@link EventEnvelope} headers; the value is pushed as stored (so devices also see its {@code user_id}
 * and {@code version}) and never decoded here. After {@code user_erased} the user's connections here are
 * closed (4410), this gateway forgets the user's data key and revokes the PubNub tokens it granted them.
 */
@Component
public class StateFanOut {

    private final SessionRegistry registry;
    /** Told the user id of an erased user: what this gateway holds of them goes. */
    private final Consumer<String> onErased;
    private final Timer lag;

    @Autowired
    public StateFanOut(SessionRegistry registry, OpSubmitter ops, ObjectProvider<PubNubGrants> grants,
                       MeterRegistry meters) {
        this(registry, user -> {
            ops.forgetKey(user);
            grants.ifAvailable(pubnub -> pubnub.revoke(user));
        }, meters);
    }

    /** @param erased told the user id of an erased user */
    StateFanOut(SessionRegistry registry, Consumer<String> erased, MeterRegistry meters) {
        this.registry = registry;
        this.onErased = erased;
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
        boolean erased = UserErased.isEncoded(envelope.event());
        if (erased) {
            onErased.accept(envelope.userId());
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
            if (erased) {
                session.replyAndClose(json, DeviceSession.USER_ERASED); // nothing more is taken for this user
            } else if (envelope.isFor(session.device().deviceId())) {
                session.push(json, version);
            }
        }
    }
}
