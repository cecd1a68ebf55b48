package dev.mediasync.processor.store;

import dev.mediasync.clock.Hlc;
import dev.mediasync.progress.LwwRegister;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What is stored in place of a removed progress title or a forgotten device: the remove's identity in
 * the last-writer-wins order (timestamp, device id, op id). A later write beats it and brings the entity
 * back; an earlier one, arriving late, loses. It is dropped once older than the retention horizon,
 * when every op it could beat is refused as stale anyway.
 */
public record Removal(Hlc timestamp, String deviceId, String opId) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final byte[] PREFIX = "{\"removed\":".getBytes(StandardCharsets.UTF_8);

    /** This remove as a write of "nothing" into the entity's register. */
    public LwwRegister<Removal> register() {
        return new LwwRegister<>(this, timestamp, deviceId, opId);
    }

    static boolean isRemoval(byte[] stored) {
        return stored.length > PREFIX.length && Arrays.equals(stored, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
    }

    byte[] encode() {
        return ("{\"removed\":{\"timestamp\":\"" + timestamp + "\",\"device_id\":\"" + deviceId + "\",\"op_id\":"
                + MAPPER.writeValueAsString(opId) + "}}").getBytes(StandardCharsets.UTF_8);
    }

    static Removal decode(byte[] stored) {
        JsonNode removed = MAPPER.readTree(stored).get("removed");
        return new Removal(Hlc.parse(removed.get("timestamp").stringValue()), removed.get("device_id").stringValue(),
                removed.get("op_id").stringValue());
    }
}
