package dev.mediasync.gateway.ops;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.Retention;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.privacy.PrivacyProperties;
import dev.mediasync.privacy.UserKey;
import dev.mediasync.privacy.UserKeys;
import dev.mediasync.privacy.AesKeyWrapper;
import dev.mediasync.privacy.KeyWrapper;
import dev.mediasync.topics.SyncTopics;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.UserErase;
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
 * keyed by user, sealed with the user's data key when a key-encryption key is configured. The returned
 * future completes with the {@code ack} once Kafka has the op durably (acks=all), or with an
 * {@code unavailable} refusal; the caller's thread never waits for Kafka.
 */
@Service
public class OpSubmitter implements DisposableBean {

    /** The device id an erase is written under: the account, not one of its devices. */
    public static final String ERASE_DEVICE = "account";

    private final OpLogWriter writer;
    private final MessageCodec codec;
    private final UserClocks clocks;
    private final Retention retention;
    private final int slot;
    private final SyncTopics topics;
    /** {@code null}: ops are written unsealed (no key-encryption key configured) */
    private final UserKeys keys;

    @Autowired
    public OpSubmitter(KafkaTemplate<String, byte[]> kafka, MessageCodec codec, UserClocks clocks,
                       GatewayProperties properties, PrivacyProperties privacy, MeterRegistry registry) {
        this(new OpLogWriter((topic, key, value) -> kafka.send(topic, key, value)
                                .thenApply(sent -> sent.getRecordMetadata().offset()),
                        properties.maxPendingWrites(), System::nanoTime, durableTimer(registry)),
                codec, clocks, new Retention(properties.tombstoneRetention()), properties.slot(), properties.topics(),
                privacy.sealing() ? AesKeyWrapper.fromBase64(privacy.kek()) : null, privacy.maxCachedKeys());
    }

    /** @param wrapper wraps the data keys ops are sealed with; {@code null} to write ops unsealed */
    OpSubmitter(OpLogWriter writer, MessageCodec codec, UserClocks clocks, Retention retention, int slot,
                SyncTopics topics, KeyWrapper wrapper, int maxCachedKeys) {
        this.writer = writer;
        this.codec = codec;
        this.clocks = clocks;
        this.retention = retention;
        this.slot = slot;
        this.topics = topics;
        this.keys = wrapper == null ? null : new UserKeys(wrapper, maxCachedKeys,
                key -> writer.write(topics.keys(), key.recordKey(), key.wrapped(), "the user's data key"));
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
     * Writes an erase of the user into their partition of the log (see docs/privacy.md).
     *
     * @return completes with the erase's offset once the log has it
     */
    public CompletableFuture<Long> erase(String userId, UserErase erase) {
        Op op = new Op(userId, ERASE_DEVICE, clocks.now(userId), clocks.physicalMs(), erase, slot);
        // never sealed: it names no title or device, and must stay readable once the user's keys are gone
        // (a replay applies it after their ops, whatever became of the keys)
        return writer.write(topics.ops(), userId, codec.encodeOp(op), erase.type());
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
        byte[] json = codec.encodeOp(op);
        String what = op.body().type();
        if (keys == null) {
            return writer.write(topics.ops(), op.userId(), json, what);
        }
        UserKey key = keys.keyFor(op.userId());
        if (key.durable()) {
            return writer.write(topics.ops(), op.userId(), key.seal(json), what);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        key.whenDurable(failure -> {
            if (failure != null) {
                result.completeExceptionally(SyncException.of(failure, cause -> "the op log did not take the "
                        + "user's data key (" + cause.getClass().getSimpleName() + "); resend it"));
                return;
            }
            // on the producer's thread that acked the key: the op goes to the writer thread
            writer.writeOnWriterThread(topics.ops(), op.userId(), key.seal(json), what).whenComplete((offset, error) -> {
                if (error == null) {
                    result.complete(offset);
                } else {
                    result.completeExceptionally(error);
                }
            });
        });
        return result;
    }

    /** Forgets an erased user's data key. */
    public void forgetKey(String userId) {
        if (keys != null) {
            keys.forget(userId);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        writer.close();
    }
}
