package dev.mediasync.processor.emit;

import dev.mediasync.clock.Hlc;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.EntityRemoved;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics.Kind;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Writes what the processor decides to the state, command and dead-letter sinks. */
public final class Emitter {

    public static final String HEADER_ERROR_CODE = "sync.error.code";
    public static final String HEADER_ERROR_MESSAGE = "sync.error.message";
    public static final String HEADER_SOURCE = "sync.source";

    private final ProcessorContext<String, byte[]> context;
    private final MessageCodec codec;
    private long version = UserEvent.NO_VERSION;

    public Emitter(ProcessorContext<String, byte[]> context, MessageCodec codec) {
        this.context = context;
        this.codec = codec;
    }

    /** The version stamped on the events emitted from now on (see {@link PartitionVersions}). */
    public void version(long version) {
        this.version = version;
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
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_EVENT, codec.encodeEvent(new UserEvent(userId, null, event, version)));
        context.forward(new Record<>(key, (byte[]) null, timestamp, headers), Sinks.STATE);
    }

    /** An op the processor itself decided (a presence timeout), into the op log like every other op. */
    public void op(Op op, long timestamp) {
        context.forward(new Record<>(op.userId(), codec.encodeOp(op), timestamp), Sinks.OPS);
    }

    /** A command, or a refusal, for one device of the user. */
    public void toDevice(String userId, String targetDeviceId, ServerMessage event, long timestamp) {
        byte[] value = codec.encodeEvent(new UserEvent(userId, targetDeviceId, event, version));
        context.forward(new Record<>(userId, value, timestamp), Sinks.COMMANDS);
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
        context.forward(new Record<>(key, codec.encodeEvent(new UserEvent(userId, null, state, version)), timestamp),
                Sinks.STATE);
    }
}
