package dev.mediasync.processor.topology;

import dev.mediasync.clock.HybridClock;
import dev.mediasync.clock.Retention;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties.Limits;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.command.CommandRouter;
import dev.mediasync.processor.device.DeviceRegistry;
import dev.mediasync.processor.device.PresenceSweeper;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.emit.PartitionVersions;
import dev.mediasync.processor.progress.ProgressApplier;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.store.OpLedger;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.processor.watchlist.WatchlistApplier;
import dev.mediasync.protocol.DeviceCommandRequest;
import dev.mediasync.protocol.DeviceHandoff;
import dev.mediasync.protocol.DeviceHeartbeat;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.DeviceRegister;
import dev.mediasync.protocol.DeviceRemove;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistUpdate;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each op of the log to the stores and emits the result. A record that cannot be applied goes
 * to the dead-letter topic with its reason and the stream goes on: undecodable, keyed by another user,
 * stale, clock skewed, refused by a rule or a cap (its sender also gets an {@code error}), or failing
 * with any unexpected exception while applied. Only failures of Kafka or the stores themselves escape,
 * for Kafka Streams to handle.
 */
public final class OpProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(OpProcessor.class);
    /** Refusals by the command and device rules: the sender is told, nothing is dead-lettered. */
    private static final Set<ErrorCode> ANSWERED_ONLY = EnumSet.of(ErrorCode.UNKNOWN_DEVICE,
            ErrorCode.DEVICE_OFFLINE, ErrorCode.UNSUPPORTED_COMMAND, ErrorCode.FORBIDDEN);

    private final ProcessorProperties properties;
    private final MessageCodec codec;
    private final ProcessorMetrics metrics;
    private final Retention retention;
    private final PartitionVersions versions;

    private ProcessorContext<String, Object> context;
    private Emitter emit;
    private OpLedger ledger;
    private WatchlistApplier watchlist;
    private ProgressApplier progress;
    private DeviceRegistry devices;
    private CommandRouter commands;

    public OpProcessor(ProcessorProperties properties, MessageCodec codec, ProcessorMetrics metrics,
                       PartitionVersions versions) {
        this.properties = properties;
        this.codec = codec;
        this.metrics = metrics;
        this.versions = versions;
        this.retention = new Retention(properties.tombstoneRetention());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        EntityStore entities = new EntityStore(context.getStateStore(EntityStore.NAME),
                context.getStateStore(EntityStore.COUNTS_NAME), codec);
        PresenceStore presence = new PresenceStore(context.getStateStore(PresenceStore.NAME),
                context.getStateStore(PresenceStore.ROUTES_NAME));
        emit = new Emitter(context, codec, properties.deliveries() ? presence : null);
        ledger = new OpLedger(context.getStateStore(OpLedger.NAME), properties.dedupWindow());
        Limits limits = properties.limits();
        watchlist = new WatchlistApplier(entities, emit, retention, limits);
        progress = new ProgressApplier(entities, emit, retention, limits);
        devices = new DeviceRegistry(entities, presence, emit, retention, limits);
        commands = new CommandRouter(entities, presence, emit, properties.commandTtl());
        if (properties.presenceSweep()) {
            context.schedule(properties.presenceCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
                    new PresenceSweeper(presence, emit, properties.presenceTimeout()));
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long start = System.nanoTime();
        context.recordMetadata().ifPresent(source -> emit.version(source.offset()));
        Op op;
        try {
            op = codec.decodeOp(record.value());
            emit.origin(op);
            validate(record.key(), op);
        } catch (SyncException e) {
            reject(record, e.code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(record, ErrorCode.BAD_REQUEST, "undecodable record: " + e);
            return;
        }
        try {
            apply(op, record.timestamp());
        } catch (SyncException e) {
            refuse(record, op, e);
            return;
        } catch (KafkaException e) {
            throw e; // the stores or the producer failed, not this op: Kafka Streams handles it
        } catch (RuntimeException e) {
            log.error("Dead-lettering an op of user {} that failed while applied", op.userId(), e);
            refuse(record, op, new SyncException(ErrorCode.INTERNAL, "the op could not be applied ("
                    + e.getClass().getSimpleName() + "); it changed nothing"));
            return;
        } finally {
            context.recordMetadata().ifPresent(source ->
                    versions.set(source.partition(), source.offset()));
        }
        metrics.applied(op.body().type(), start, op.receivedAt(), context.currentSystemTimeMs());
    }

    private void validate(String key, Op op) {
        if (!op.userId().equals(key)) {
            throw SyncException.badRequest("record key must be the op's user_id");
        }
        retention.requireFresh(op.timestamp(), op.receivedAt());
        HybridClock.requireWithinSkew(op.timestamp(), op.receivedAt(), properties.maxClockSkew().toMillis(),
                "received_at");
    }

    private void apply(Op op, long timestamp) {
        OpBody body = op.body();
        if (body instanceof DevicePresence change) {
            devices.presence(op, change, timestamp);
            return;
        }
        devices.touch(op);
        if (body instanceof WatchlistUpdate update) {
            watchlist.apply(op, update, resent(op, update.opId()), timestamp);
        } else if (body instanceof ProgressUpdate update) {
            progress.apply(op, update, resent(op, update.opId()), timestamp);
        } else if (body instanceof ProgressRemove remove) {
            progress.remove(op, remove, resent(op, remove.opId()), timestamp);
        } else if (body instanceof DeviceRemove remove) {
            devices.remove(op, remove, resent(op, remove.opId()), timestamp);
        } else if (body instanceof DeviceRegister register) {
            devices.register(op, register, timestamp);
        } else if (body instanceof DeviceHeartbeat) {
            devices.heartbeat(op, timestamp);
        } else if (body instanceof DeviceCommandRequest request) {
            commands.command(op, request, timestamp);
        } else if (body instanceof DeviceHandoff handoff) {
            commands.handoff(op, handoff, timestamp);
        } else {
            throw SyncException.badRequest("no rule applies ops of type " + body.type());
        }
    }

    private boolean resent(Op op, String opId) {
        return !ledger.firstSight(op.userId(), op.deviceId(), opId, op.receivedAt());
    }

    /**
     * Tells the sender of an op refused while applied (naming the op when it has an id; a refused
     * connect has none) and dead-letters the op, unless the refusal is an ordinary answer of the command
     * and device rules.
     */
    private void refuse(Record<String, byte[]> record, Op op, SyncException e) {
        if (ANSWERED_ONLY.contains(e.code())) {
            metrics.rejected(e.code().wire());
        } else {
            reject(record, e.code(), e.getMessage());
        }
        emit.toDevice(op.userId(), op.deviceId(), ErrorMessage.of(op.body().opId(), e), record.timestamp());
    }

    private void reject(Record<String, byte[]> record, ErrorCode code, String reason) {
        metrics.rejected(code.wire());
        emit.deadLetter(record, code, reason);
    }
}
