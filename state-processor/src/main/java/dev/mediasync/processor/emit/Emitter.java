package dev.mediasync.processor.emit;

import dev.mediasync.clock.Hlc;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.privacy.DataKey;
import dev.mediasync.privacy.SealedOps;
import dev.mediasync.processor.store.PresenceStore.Activity;
import dev.mediasync.processor.store.PresenceStore;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.EntityRemoved;
import dev.mediasync.protocol.EventEnvelope;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.UserErased;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics.Kind;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Writes what the processor decides to the state, command and dead-letter sinks, and (unless off, as in
 * a replay) a copy of each event for the gateways to the delivery sink: a state event to every slot that
 * holds a device of the user, a command or refusal to the slot of its target. Every event record carries
 * the {@link EventEnvelope} headers, so that no reader decodes a value to route it.
 */
public final class Emitter {

    public static final String HEADER_ERROR_CODE = "sync.error.code";
    public static final String HEADER_ERROR_MESSAGE = "sync.error.message";
    public static final String HEADER_SOURCE = "sync.source";

    private final ProcessorContext<String, Object> context;
    private final MessageCodec codec;
    /** {@code null}: no deliveries are written */
    private final PresenceStore routes;
    private final Function<String, DataKey> keys;
    private long version = UserEvent.NO_VERSION;
    private String originDevice;
    private int originSlot = Activity.NO_SLOT;

    /**
     * @param routes where the user's devices are connected; {@code null} to write no deliveries
     * @param keys   a data key of the user, to seal the ops the processor writes itself ({@code null}: none)
     */
    public Emitter(ProcessorContext<String, Object> context, MessageCodec codec, PresenceStore routes,
                   Function<String, DataKey> keys) {
        this.context = context;
        this.codec = codec;
        this.routes = routes;
        this.keys = keys;
    }

    /** The version stamped on the events emitted from now on (see {@link PartitionVersions}). */
    public void version(long version) {
        this.version = version;
    }

    /**
     * The op being applied: a refusal to its sender goes to the slot of the gateway that took it, even
     * when the sender is not online (a refused connect).
     */
    public void origin(Op op) {
        originDevice = op.deviceId();
        originSlot = op.gatewaySlot() == null ? Activity.NO_SLOT : op.gatewaySlot();
    }

    /** A title in the watchlist, or for a title out of it a tombstone with its state in the header. */
    public void watchlist(String userId, WatchlistState state, long timestamp) {
        String key = Topics.stateKey(userId, Kind.WATCHLIST, state.contentId());
        if (state.inWatchlist()) {
            state(key, userId, state, timestamp);
        } else {
            tombstone(key, userId, state, timestamp);
        }
    }

    public void progress(String userId, ProgressState state, long timestamp) {
        state(Topics.stateKey(userId, Kind.PROGRESS, state.contentId()), userId, state, timestamp);
    }

    public void device(String userId, DeviceState state, long timestamp) {
        state(Topics.stateKey(userId, Kind.DEVICE, state.deviceId()), userId, state, timestamp);
    }

    /**
     * A removed progress title or device: a tombstone (null value) under the entity's key with the
     * {@code progress_removed}/{@code device_removed} event in the {@link Topics#HEADER_EVENT} header.
     */
    public void removed(String userId, Kind kind, String entityId, Hlc removedAt, long timestamp) {
        tombstone(Topics.stateKey(userId, kind, entityId), userId, new EntityRemoved(kind, entityId, removedAt),
                timestamp);
    }

    /** Compaction drops the key; devices and consumers that read on get the event from the header. */
    private void tombstone(String key, String userId, ServerMessage event, long timestamp) {
        byte[] value = codec.encodeEvent(new UserEvent(userId, null, event, version));
        RecordHeaders headers = envelope(userId, null, EventEnvelope.NEVER);
        headers.add(Topics.HEADER_EVENT, value);
        context.forward(new Record<>(key, (byte[]) null, timestamp, headers), Sinks.STATE);
        // the gateways get the event as the value, so their copy needs no event header
        deliver(userId, null, value, envelope(userId, null, EventEnvelope.NEVER), timestamp);
    }

    /**
     * An erased user: a tombstone without event header for each of their state keys (nothing of the entity
     * is left readable but the key, until compaction), then {@code user_erased} under
     * {@code user_id|account|erased} and to the slots of their devices.
     */
    public void erased(String userId, List<String> stateKeys, UserErased event, long timestamp) {
        for (String key : stateKeys) {
            context.forward(new Record<>(key, (byte[]) null, timestamp, envelope(userId, null, EventEnvelope.NEVER)),
                    Sinks.STATE);
        }
        state(Topics.stateKey(userId, Kind.ACCOUNT, "erased"), userId, event, timestamp);
    }

    /** Destroys a data key: its tombstone in {@code sync.keys.v1}. */
    public void destroyKey(String recordKey, long timestamp) {
        context.forward(new Record<>(recordKey, (byte[]) null, timestamp), Sinks.KEYS);
    }

    /** An op the processor itself decided (a presence timeout), into the op log like every other op. */
    public void op(Op op, long timestamp) {
        byte[] json = codec.encodeOp(op);
        DataKey key = keys.apply(op.userId());
        byte[] value = key == null ? json : SealedOps.seal(op.userId(), key, json); // sealed like the gateways' ops
        context.forward(new Record<>(op.userId(), value, timestamp), Sinks.OPS);
    }

    /** A command, or a refusal, for one device of the user. */
    public void toDevice(String userId, String targetDeviceId, ServerMessage event, long timestamp) {
        byte[] value = codec.encodeEvent(new UserEvent(userId, targetDeviceId, event, version));
        long expiresAt = event instanceof DeviceCommand command ? command.expiresAt() : EventEnvelope.NEVER;
        RecordHeaders headers = envelope(userId, targetDeviceId, expiresAt);
        context.forward(new Record<>(userId, value, timestamp, headers), Sinks.COMMANDS);
        deliver(userId, targetDeviceId, value, headers, timestamp);
    }

    /** The record as it came in, with why it could not be applied and where it came from in headers. */
    public void deadLetter(Record<String, byte[]> record, ErrorCode code, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(HEADER_ERROR_CODE, code.wire().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_ERROR_MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().map(Emitter::source)
                .ifPresent(source -> headers.add(HEADER_SOURCE, source.getBytes(StandardCharsets.UTF_8)));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
                Sinks.DEAD_LETTER);
    }

    private static String source(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }

    private void state(String key, String userId, ServerMessage state, long timestamp) {
        byte[] value = codec.encodeEvent(new UserEvent(userId, null, state, version));
        RecordHeaders headers = envelope(userId, null, EventEnvelope.NEVER);
        context.forward(new Record<>(key, value, timestamp, headers), Sinks.STATE);
        deliver(userId, null, value, headers, timestamp);
    }

    private RecordHeaders envelope(String userId, String targetDeviceId, long expiresAt) {
        RecordHeaders headers = new RecordHeaders();
        EventEnvelope.write(headers, userId, targetDeviceId, version, expiresAt);
        return headers;
    }

    /**
     * The gateways' copy, with the same routing headers: to the slots of the user's online devices, or of
     * the one device it is for.
     */
    private void deliver(String userId, String targetDeviceId, byte[] value, RecordHeaders headers, long timestamp) {
        if (routes == null) {
            return;
        }
        int[] slots = targetDeviceId == null ? routes.routes(userId) : slotOf(userId, targetDeviceId);
        if (slots.length > 0) {
            context.forward(new Record<>(userId, new Delivery(slots, value), timestamp, headers), Sinks.DELIVERIES);
        }
    }

    private int[] slotOf(String userId, String deviceId) {
        int slot = routes.slotOf(userId, deviceId);
        if (slot == Activity.NO_SLOT && deviceId.equals(originDevice)) {
            slot = originSlot;
        }
        return slot == Activity.NO_SLOT ? new int[0] : new int[] {slot};
    }
}
