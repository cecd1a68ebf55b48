package dev.mediasync.gateway.ops;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.Retention;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.GatewayProperties;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Accepts an op for the log: checks its timestamp against the skew bound and the retention horizon,
 * stamps it when the client did not, and writes it keyed by user. The returned future completes with
 * the {@code ack} once Kafka has the op durably (acks=all), or with an {@code unavailable} refusal.
 */
@Service
public class OpSubmitter {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;
    private final UserClocks clocks;
    private final Retention retention;
    private final String topic;
    private final Timer durable;

    public OpSubmitter(KafkaTemplate<String, byte[]> kafka, MessageCodec codec, UserClocks clocks,
                       GatewayProperties properties, MeterRegistry registry) {
        this.kafka = kafka;
        this.codec = codec;
        this.clocks = clocks;
        this.retention = new Retention(properties.tombstoneRetention());
        this.topic = properties.topics().ops();
        this.durable = Timer.builder("sync.gateway.op.durable").description("From accepting an op to its Kafka ack")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** @throws SyncException {@code clock_skew} or {@code stale} for a client timestamp out of bounds */
    public CompletableFuture<Ack> submit(AuthenticatedDevice device, ClientRequest request) {
        Hlc timestamp = request.clientTimestamp();
        long now = clocks.physicalMs();
        if (timestamp == null) {
            timestamp = clocks.now(device.userId());
        } else {
            retention.requireFresh(timestamp, now);
            clocks.observe(device.userId(), timestamp);
        }
        Hlc stamped = timestamp;
        return write(new Op(device.userId(), device.deviceId(), stamped, now, request.message()))
                .thenApply(ignored -> new Ack(request.message().opId(), stamped));
    }

    /** Writes a presence change the gateway observed; best effort, the caller does not wait. */
    public CompletableFuture<Void> presence(AuthenticatedDevice device, PresenceEvent event, String sessionId) {
        return write(new Op(device.userId(), device.deviceId(), clocks.now(device.userId()), clocks.physicalMs(),
                new DevicePresence(event, sessionId)));
    }

    private CompletableFuture<Void> write(Op op) {
        long start = System.nanoTime();
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            kafka.send(topic, op.userId(), codec.encodeOp(op)).whenComplete((sent, error) -> {
                if (error == null) {
                    durable.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                    result.complete(null);
                } else {
                    result.completeExceptionally(unavailable(op.body(), error));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(unavailable(op.body(), e));
        }
        return result;
    }

    private static SyncException unavailable(OpBody body, Throwable cause) {
        return new SyncException(ErrorCode.UNAVAILABLE, "the op log did not take " + body.type()
                + " (" + cause.getClass().getSimpleName() + "); resend it");
    }
}
