package dev.mediasync.gateway.ops;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.Retention;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Accepts an op for the log: checks its timestamp against the skew bound and the retention horizon,
 * stamps it when the client did not, adds this gateway's delivery slot (where the processor sends the
 * sender's answers and, from a connect on, its user's events), and hands it to the {@link OpLogWriter},
 * keyed by user. The returned
 * future completes with the {@code ack} once Kafka has the op durably (acks=all), or with an
 * {@code unavailable} refusal; the caller's thread never waits for Kafka.
 */
@Service
public class OpSubmitter implements DisposableBean {

    private final OpLogWriter writer;
    private final MessageCodec codec;
    private final UserClocks clocks;
    private final Retention retention;
    private final int slot;

    @Autowired
    public OpSubmitter(KafkaTemplate<String, byte[]> kafka, MessageCodec codec, UserClocks clocks,
                       GatewayProperties properties, MeterRegistry registry) {
        this(new OpLogWriter((user, value) -> kafka.send(properties.topics().ops(), user, value)
                                .thenApply(sent -> sent.getRecordMetadata().offset()),
                        properties.maxPendingWrites(), System::nanoTime, durableTimer(registry)),
                codec, clocks, new Retention(properties.tombstoneRetention()), properties.slot());
    }

    OpSubmitter(OpLogWriter writer, MessageCodec codec, UserClocks clocks, Retention retention, int slot) {
        this.writer = writer;
        this.codec = codec;
        this.clocks = clocks;
        this.retention = retention;
        this.slot = slot;
    }

    private static LongConsumer durableTimer(MeterRegistry registry) {
        Timer timer = Timer.builder("sync.gateway.op.durable").description("From accepting an op to its Kafka ack")
                .publishPercentiles(0.5, 0.99).register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
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
        return write(new Op(device.userId(), device.deviceId(), stamped, now, request.message(), slot))
                .thenApply(ignored -> new Ack(request.message().opId(), stamped));
    }

    /**
     * Writes a presence change the gateway observed; the caller does not wait.
     *
     * @return completes with the op's offset in the log: a snapshot whose version has reached it was read
     *     after the processor routed the device's events here
     */
    public CompletableFuture<Long> presence(AuthenticatedDevice device, PresenceEvent event, String sessionId) {
        return write(new Op(device.userId(), device.deviceId(), clocks.now(device.userId()), clocks.physicalMs(),
                new DevicePresence(event, sessionId), slot));
    }

    private CompletableFuture<Long> write(Op op) {
        return writer.write(op.userId(), codec.encodeOp(op), op.body().type());
    }

    @Override
    public void destroy() throws InterruptedException {
        writer.close();
    }
}
