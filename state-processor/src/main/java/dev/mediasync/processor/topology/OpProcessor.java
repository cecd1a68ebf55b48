package dev.mediasync.processor.topology;

import dev.mediasync.clock.Retention;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.command.CommandRouter;
import dev.mediasync.processor.device.DeviceRegistry;
import dev.mediasync.processor.device.PresenceSweeper;
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
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistUpdate;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies each op of the log to the stores and emits the result. A record that cannot be applied
 * (undecodable, keyed by another user, stale, clock skewed) goes to the dead-letter topic and the stream
 * goes on.
 */
public final class OpProcessor implements Processor<String, byte[], String, byte[]> {

    private final ProcessorProperties properties;
    private final MessageCodec codec;
    private final ProcessorMetrics metrics;
    private final Retention retention;
    private final PartitionVersions versions;

    private ProcessorContext<String, byte[]> context;
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
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        emit = new Emitter(context, codec);
        EntityStore entities = new EntityStore(context.getStateStore(EntityStore.NAME), codec);
        PresenceStore presence = new PresenceStore(context.getStateStore(PresenceStore.NAME));
        ledger = new OpLedger(context.getStateStore(OpLedger.NAME), properties.dedupWindow());
        watchlist = new WatchlistApplier(entities, emit, retention);
        progress = new ProgressApplier(entities, emit);
        devices = new DeviceRegistry(entities, presence, emit);
        commands = new CommandRouter(entities, presence, emit, properties.commandTtl());
        PresenceSweeper sweeper = new PresenceSweeper(entities, presence, emit, properties.presenceTimeout());
        context.schedule(properties.presenceCheckInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            int partition = context.taskId().partition();
            long version = versions.current(partition) + 1;
            emit.version(version);
            sweeper.punctuate(now);
            versions.set(partition, version);
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long start = System.nanoTime();
        context.recordMetadata().ifPresent(source -> emit.version(PartitionVersions.ofOffset(source.offset())));
        Op op;
        try {
            op = codec.decodeOp(record.value());
            validate(record.key(), op);
        } catch (SyncException e) {
            reject(record, e.code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(record, ErrorCode.BAD_REQUEST, "undecodable record: " + e);
            return;
        }
        apply(op, record.timestamp());
        context.recordMetadata().ifPresent(source ->
                versions.set(source.partition(), PartitionVersions.ofOffset(source.offset())));
        metrics.applied(op.body().type(), start, op.receivedAt(), context.currentSystemTimeMs());
    }

    private void validate(String key, Op op) {
        if (!op.userId().equals(key)) {
            throw SyncException.badRequest("record key must be the op's user_id");
        }
        retention.requireFresh(op.timestamp(), op.receivedAt());
        long ahead = op.timestamp().physicalMs() - op.receivedAt();
        if (ahead > properties.maxClockSkew().toMillis()) {
            throw new SyncException(ErrorCode.CLOCK_SKEW, "timestamp is " + ahead
                    + " ms ahead of received_at; at most " + properties.maxClockSkew().toMillis() + " ms is accepted");
        }
    }

    private void apply(Op op, long timestamp) {
        OpBody body = op.body();
        if (body instanceof WatchlistUpdate update) {
            watchlist.apply(op, update, !firstSight(op, update.opId()), timestamp);
        } else if (body instanceof ProgressUpdate update) {
            progress.apply(op, update, !firstSight(op, update.opId()), timestamp);
        } else if (body instanceof DevicePresence change) {
            devices.presence(op, change, timestamp);
        } else if (body instanceof DeviceRegister register) {
            devices.register(op, register, timestamp);
        } else if (body instanceof DeviceHeartbeat) {
            devices.heartbeat(op, timestamp);
        } else if (body instanceof DeviceCommandRequest request) {
            commands.command(op, request, timestamp);
        } else if (body instanceof DeviceHandoff handoff) {
            commands.handoff(op, handoff, timestamp);
        }
    }

    private boolean firstSight(Op op, String opId) {
        return ledger.firstSight(op.userId(), op.deviceId(), opId, op.receivedAt());
    }

    private void reject(Record<String, byte[]> record, ErrorCode code, String reason) {
        metrics.rejected(code.wire());
        emit.deadLetter(record, code, reason);
    }
}
