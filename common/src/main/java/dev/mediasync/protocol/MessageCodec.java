package dev.mediasync.protocol;

import dev.mediasync.error.SyncException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON codec of the protocol: client frames, server frames, op-log records and state/command
 * records. Decoding is strict about JSON (no trailing data, no duplicate keys) and turns every bad input
 * into a {@link SyncException} ({@code bad_request}) naming the field. Encoding writes fields in a fixed
 * order, so equal messages give equal bytes. Thread-safe.
 */
public final class MessageCodec {

    private static final Map<String, Function<JsonFields, ClientMessage>> CLIENT_READERS = Map.ofEntries(
            Map.entry(DeviceRegister.TYPE, DeviceRegister::read),
            Map.entry(WatchlistUpdate.TYPE, WatchlistUpdate::read),
            Map.entry(ProgressUpdate.TYPE, ProgressUpdate::read),
            Map.entry(DeviceHeartbeat.TYPE, DeviceHeartbeat::read),
            Map.entry(DeviceCommandRequest.TYPE, DeviceCommandRequest::read),
            Map.entry(DeviceHandoff.TYPE, DeviceHandoff::read),
            Map.entry(ProgressRemove.TYPE, ProgressRemove::read),
            Map.entry(DeviceRemove.TYPE, DeviceRemove::read),
            Map.entry(TokenRefresh.TYPE, TokenRefresh::read));

    private static final Map<String, Function<JsonFields, ? extends OpBody>> OP_READERS = opReaders();

    private static final Map<String, Function<JsonFields, ServerMessage>> SERVER_READERS = Map.ofEntries(
            Map.entry(Ack.TYPE, Ack::read),
            Map.entry(ErrorMessage.TYPE, ErrorMessage::read),
            Map.entry(Snapshot.TYPE, Snapshot::read),
            Map.entry(WatchlistState.TYPE, WatchlistState::read),
            Map.entry(ProgressState.TYPE, ProgressState::read),
            Map.entry(DeviceState.TYPE, DeviceState::read),
            Map.entry(DeviceCommand.TYPE, DeviceCommand::read),
            Map.entry(EntityRemoved.PROGRESS_TYPE, EntityRemoved::readProgress),
            Map.entry(EntityRemoved.DEVICE_TYPE, EntityRemoved::readDevice),
            Map.entry(TokenRefreshed.TYPE, TokenRefreshed::read),
            Map.entry(UserErased.TYPE, UserErased::read));

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static Map<String, Function<JsonFields, ? extends OpBody>> opReaders() {
        Map<String, Function<JsonFields, ? extends OpBody>> readers = new HashMap<>(CLIENT_READERS);
        readers.remove(TokenRefresh.TYPE); // handled by the gateway, never logged
        readers.put(DevicePresence.TYPE, DevicePresence::read);
        readers.put(UserErase.TYPE, UserErase::read); // from the gateway's REST API only, never a device's frame
        return Map.copyOf(readers);
    }

    // ---- client frames

    /** Decodes a frame a device sent. */
    public ClientRequest decodeClient(String json) {
        return decodeClient(parse(json));
    }

    /** Decodes an already parsed client message (REST bodies after defaults are filled in). */
    public ClientRequest decodeClient(JsonNode node) {
        JsonFields fields = JsonFields.of(node);
        ClientMessage message = dispatch(fields, CLIENT_READERS);
        return new ClientRequest(message, fields.optionalHlc("timestamp"));
    }

    /** Encodes a client frame, as a device would send it (clients, tests and the load generator). */
    public String encodeClient(ClientRequest request) {
        return new String(write(g -> {
            writeBody(g, request.message());
            if (request.clientTimestamp() != null) {
                g.writeStringProperty("timestamp", request.clientTimestamp().toString());
            }
        }), StandardCharsets.UTF_8);
    }

    // ---- server frames

    public String encode(ServerMessage message) {
        return new String(encodeBytes(message), StandardCharsets.UTF_8);
    }

    public byte[] encodeBytes(ServerMessage message) {
        return write(g -> writeServer(g, message));
    }

    public ServerMessage decodeServer(String json) {
        return dispatch(JsonFields.of(parse(json)), SERVER_READERS);
    }

    public ServerMessage decodeServer(byte[] json) {
        return dispatch(JsonFields.of(parse(json)), SERVER_READERS);
    }

    // ---- sync.ops.v1

    public byte[] encodeOp(Op op) {
        return write(g -> {
            writeBody(g, op.body());
            g.writeStringProperty("user_id", op.userId());
            g.writeStringProperty("device_id", op.deviceId());
            g.writeStringProperty("timestamp", op.timestamp().toString());
            g.writeNumberProperty("received_at", op.receivedAt());
            if (op.gatewaySlot() != null) {
                g.writeNumberProperty("gateway_slot", op.gatewaySlot());
            }
        });
    }

    public Op decodeOp(byte[] json) {
        JsonFields fields = JsonFields.of(parse(json));
        OpBody body = dispatch(fields, OP_READERS);
        return new Op(fields.string("user_id"), fields.string("device_id"), fields.hlc("timestamp"),
                fields.integer("received_at"), body,
                fields.has("gateway_slot") ? Math.toIntExact(fields.integer("gateway_slot")) : null);
    }

    // ---- sync.state.v1 and sync.commands.v1

    public byte[] encodeEvent(UserEvent event) {
        return write(g -> {
            writeServer(g, event.event());
            g.writeStringProperty("user_id", event.userId());
            JsonWriting.optionalString(g, "target_device_id", event.targetDeviceId());
            if (event.version() != UserEvent.NO_VERSION) {
                g.writeNumberProperty("version", event.version());
            }
        });
    }

    public UserEvent decodeEvent(byte[] json) {
        JsonFields fields = JsonFields.of(parse(json));
        ServerMessage event = dispatch(fields, SERVER_READERS);
        return new UserEvent(fields.string("user_id"), fields.optionalString("target_device_id"), event,
                fields.has("version") ? fields.integer("version") : UserEvent.NO_VERSION);
    }

    // ---- plumbing

    /** Parses JSON text; malformed input becomes a {@code bad_request} saying where it broke. */
    public JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    public JsonNode parse(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private static SyncException malformed(JacksonException e) {
        TokenStreamLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String reason = e.getOriginalMessage();
        int cut = reason == null ? -1 : reason.indexOf('\n');
        return SyncException.badRequest("malformed JSON" + where + ": "
                + (cut < 0 ? reason : reason.substring(0, cut)));
    }

    private static <T> T dispatch(JsonFields fields, Map<String, ? extends Function<JsonFields, ? extends T>> readers) {
        String type = fields.string("type");
        Function<JsonFields, ? extends T> reader = readers.get(type);
        if (reader == null) {
            throw SyncException.badRequest("type must be one of " + new TreeSet<>(readers.keySet()));
        }
        try {
            return reader.apply(fields);
        } catch (SyncException e) {
            throw e;
        } catch (RuntimeException e) {
            // a value no rule foresaw: still the input's fault, and still a typed refusal
            throw SyncException.badRequest("invalid " + type + ": " + e.getMessage());
        }
    }

    private static void writeBody(JsonGenerator g, OpBody body) {
        g.writeStringProperty("type", body.type());
        body.writeFields(g);
    }

    private static void writeServer(JsonGenerator g, ServerMessage message) {
        g.writeStringProperty("type", message.type());
        message.writeFields(g);
    }

    private byte[] write(Consumer<JsonGenerator> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            fields.accept(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
