package dev.mediasync.gateway.fanout;

import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.ws.DeviceSession;
import dev.mediasync.gateway.ws.SessionRegistry;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.topics.StateRecords;
import dev.mediasync.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Every gateway reads all of the state and command topics (its own consumer group, from the end) and
 * pushes each event to the devices of that user connected here: state events to all of them, commands
 * and refusals only to their target. For a tombstone (a removed progress title or device) devices get
 * the event its {@code sync.event} header carries. The record is pushed as stored, so devices also see its
 * {@code user_id} and {@code version}.
 */
@Component
public class StateFanOut implements ConsumerSeekAware {

    private final SessionRegistry registry;
    private final MessageCodec codec;
    private final String stateTopic;
    private final AtomicBoolean assigned = new AtomicBoolean();
    private final Timer lag;

    public StateFanOut(SessionRegistry registry, MessageCodec codec, GatewayProperties properties,
                       MeterRegistry meters) {
        this.registry = registry;
        this.codec = codec;
        this.stateTopic = properties.topics().state();
        this.lag = Timer.builder("sync.gateway.fanout.lag")
                .description("From the op's arrival at a gateway (the record's timestamp) to its state event being "
                        + "queued for this gateway's devices")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    @KafkaListener(id = "state-fanout",
            topics = {"${sync.gateway.topics.state:" + Topics.STATE + "}",
                "${sync.gateway.topics.commands:" + Topics.COMMANDS + "}"},
            groupId = "${sync.gateway.fanout-group:gateway-${random.uuid}}",
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false"},
            containerPostProcessor = "fanOutCommitsEvery5s")
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        // state records are keyed user|kind|entity, command records by user
        String userId = record.topic().equals(stateTopic) ? Topics.userOfStateKey(key) : key;
        Collection<DeviceSession> sessions = registry.sessionsOf(userId);
        if (sessions.isEmpty()) {
            return;
        }
        byte[] value = StateRecords.event(record.value(), record.headers());
        if (value == null) {
            return;
        }
        lag.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - record.timestamp())));
        UserEvent event = codec.decodeEvent(value);
        if (event.event() instanceof DeviceCommand command && command.expiredAt(System.currentTimeMillis())) {
            return; // past expires_at (a lagging consumer, or a replay writing old commands): not to be acted on
        }
        String json = new String(value, StandardCharsets.UTF_8);
        // Only state events can be in a snapshot; commands and refusals are always delivered.
        long version = record.topic().equals(stateTopic) ? event.version() : UserEvent.NO_VERSION;
        for (DeviceSession session : sessions) {
            if (event.targetDeviceId() == null || event.targetDeviceId().equals(session.device().deviceId())) {
                session.push(json, version);
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        assigned.set(true);
    }

    /** Whether the consumer has its partitions, so no event can fall between a snapshot and the stream. */
    public boolean isAssigned() {
        return assigned.get();
    }
}
