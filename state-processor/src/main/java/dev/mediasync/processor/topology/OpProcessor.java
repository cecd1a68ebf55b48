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
import dev.mediasync.processor.privacy.ErasedUsers;
import dev.mediasync.processor.privacy.KeyStore;
import dev.mediasync.processor.privacy.ParkedOps;
import dev.mediasync.processor.privacy.UserEraser;
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
import dev.mediasync.protocol.UserErase;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.Topics;
import dev.mediasync.privacy.KeyWrapper;
import dev.mediasync.privacy.SealedOps;
import dev.mediasync.privacy.UnreadableException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each op of the log to the stores and emits the result. A record that cannot be applied goes
 * to the dead-letter topic with its reason and the stream goes on: undecodable, keyed by another user,
 * stale, clock skewed, sealed but unreadable (its data key unknown or destroyed, or its bytes changed),
 * refused by a rule or a cap (its sender also gets an {@code error}), or failing
 * with any unexpected exception while applied. Only failures of Kafka or the stores themselves escape,
 * for Kafka Streams to handle.
 */
public final class OpProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(OpProcessor.class);
    /** Refusals by the command and device rules: the sender is told, nothing is dead-lettered. */
    private static final Set<ErrorCode> ANSWERED_ONLY = EnumSet.of(ErrorCode.UNKNOWN_DEVICE,
            ErrorCode.DEVICE_OFFLINE, ErrorCode.UNSUPPORTED_COMMAND, ErrorCode.FORBIDDEN, ErrorCode.USER_ERASED);

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
    private KeyStore keys;
    private ErasedUsers erased;
    private UserEraser eraser;
    private ParkedOps parked;
    /** The latest op-log offset read, per partition of this task. */
    private final Map<Integer, Long> lastOffsets = new HashMap<>();

    private final KeyWrapper wrapper;

    /** @param wrapper unwraps users' data keys; {@code null} when no key-encryption key is configured */
    public OpProcessor(ProcessorProperties properties, MessageCodec codec, ProcessorMetrics metrics,
                       PartitionVersions versions, KeyWrapper wrapper) {
        this.wrapper = wrapper;
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
        keys = new KeyStore(context.getStateStore(KeyStore.NAME), wrapper);
        erased = new ErasedUsers(context.getStateStore(ErasedUsers.NAME));
        emit = new Emitter(context, codec, properties.deliveries() ? presence : null, keys::anyKey);
        ledger = new OpLedger(context.getStateStore(OpLedger.NAME), properties.dedupWindow(), properties.maxClockSkew());
        Limits limits = properties.limits();
        watchlist = new WatchlistApplier(entities, emit, retention, limits);
        progress = new ProgressApplier(entities, emit, retention, limits);
        devices = new DeviceRegistry(entities, presence, emit, retention, limits);
        commands = new CommandRouter(entities, presence, emit, properties.commandTtl());
        parked = new ParkedOps(context.getStateStore(ParkedOps.NAME));
        eraser = new UserEraser(entities, presence, keys, erased, parked, emit);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::expireParked);
        if (properties.presenceSweep()) {
            context.schedule(properties.presenceCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
                    new PresenceSweeper(presence, emit, properties.presenceTimeout()));
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (source.topic().equals(properties.topics().keys())) {
            keyRecord(record);
            return;
        }
        lastOffsets.put(source.partition(), source.offset());
        try {
            processOp(record, source.partition(), source.offset(), source.offset());
        } finally {
            // every op read counts, applied or not: a snapshot waiting for this offset must not wait for more
            updateVersion(source.partition());
        }
    }

    /**
     * Keeps the task's data keys in step with {@code sync.keys.v1}, and applies the user's ops that waited
     * for a key. Their events carry the partition's latest version: later than anything already emitted.
     */
    private void keyRecord(Record<String, byte[]> record) {
        String recordKey = record.key();
        if (recordKey == null || recordKey.indexOf('|') < 0) {
            return; // not a data key's record: nothing to keep
        }
        if (record.value() == null) {
            keys.delete(recordKey);
            return;
        }
        keys.put(recordKey, record.value());
        List<ParkedOps.Parked> ready = parked.take(Topics.userOfKeyRecord(recordKey));
        for (ParkedOps.Parked op : ready) {
            long version = Math.max(op.offset(), lastOffsets.getOrDefault(op.partition(), op.offset()));
            processOp(new Record<>(op.userId(), op.value(), op.timestamp()), op.partition(), op.offset(), version);
        }
        ready.stream().map(ParkedOps.Parked::partition).distinct().forEach(this::updateVersion);
    }

    /** Ops that waited for their key longer than {@code park-timeout}: dead-lettered as {@code unreadable}. */
    private void expireParked(long now) {
        List<ParkedOps.Parked> expired = parked.expired(now - properties.parkTimeout().toMillis());
        for (ParkedOps.Parked op : expired) {
            reject(new Record<>(op.userId(), op.value(), op.timestamp()), ErrorCode.UNREADABLE,
                    "unknown_key: no data key for this op arrived within " + properties.parkTimeout());
        }
        expired.stream().map(ParkedOps.Parked::partition).distinct().forEach(this::updateVersion);
    }

    /** The partition's version: its latest op read, but below any op still waiting for its key. */
    private void updateVersion(int partition) {
        Long last = lastOffsets.get(partition);
        if (last != null) {
            versions.set(partition, Math.min(last, parked.oldest(partition) - 1));
        }
    }

    private void processOp(Record<String, byte[]> record, int partition, long offset, long version) {
        long start = System.nanoTime();
        emit.version(version);
        Op op;
        try {
            op = codec.decodeOp(opened(record));
            emit.origin(op);
            validate(record.key(), op);
        } catch (UnreadableException e) {
            unreadable(record, partition, offset, e);
            return;
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
            if (e.code() == ErrorCode.USER_ERASED && SealedOps.isSealed(record.value())) {
                destroyKeyOf(record); // the key a gateway made after the erase: its device was told, nothing is kept
            }
            return;
        } catch (KafkaException e) {
            throw e; // the stores or the producer failed, not this op: Kafka Streams handles it
        } catch (RuntimeException e) {
            log.error("Dead-lettering an op of user {} that failed while applied", op.userId(), e);
            refuse(record, op, new SyncException(ErrorCode.INTERNAL, "the op could not be applied ("
                    + e.getClass().getSimpleName() + "); it changed nothing"));
            return;
        }
        metrics.applied(op.body().type(), start, op.receivedAt(), context.currentSystemTimeMs());
    }

    /**
     * A sealed op that does not open: an erased user's is skipped (counted); one whose key has not been read
     * yet waits for it (up to {@code max-parked-per-user}); anything else is dead-lettered.
     */
    private void unreadable(Record<String, byte[]> record, int partition, long offset, UnreadableException e) {
        String user = record.key();
        if (user != null && erased.erased(user)) {
            metrics.rejected(ErrorCode.USER_ERASED.wire()); // nothing to read, nothing to keep
        } else if (user != null && e.reason() == UnreadableException.Reason.UNKNOWN_KEY
                && parked.count(user) < properties.maxParkedPerUser()) {
            parked.park(user, partition, offset, record.timestamp(), context.currentSystemTimeMs(), record.value());
        } else {
            reject(record, ErrorCode.UNREADABLE, e.toSyncException().getMessage());
        }
    }

    /** The op's JSON: the record's value, opened with its user's data key when it is sealed. */
    private byte[] opened(Record<String, byte[]> record) {
        byte[] value = record.value();
        return SealedOps.isSealed(value) ? SealedOps.open(record.key(), value, keys::key) : value;
    }

    private void destroyKeyOf(Record<String, byte[]> record) {
        String recordKey = Topics.keyRecordKey(record.key(), SealedOps.keyId(record.value()));
        keys.delete(recordKey);
        emit.destroyKey(recordKey, record.timestamp());
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
        if (erased.erased(op.userId())) {
            if (body instanceof DevicePresence || body instanceof UserErase) {
                return; // a late close or a resent erase: nothing to answer
            }
            throw new SyncException(ErrorCode.USER_ERASED, "this user was erased; nothing more is taken for them");
        }
        if (body instanceof UserErase) {
            eraser.erase(op, timestamp);
            return;
        }
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
