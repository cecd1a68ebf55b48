package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import java.util.Objects;

/**
 * One accepted op in {@code sync.ops.v1}: the message plus who sent it, its HLC timestamp (the
 * client's, or the gateway's when the client gave none) and when the gateway received it (epoch ms).
 */
public record Op(String userId, String deviceId, Hlc timestamp, long receivedAt, OpBody body) {

    public Op {
        Ids.userId(userId, "user_id");
        Ids.deviceId(deviceId, "device_id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
    }
}
