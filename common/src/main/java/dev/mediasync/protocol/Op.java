package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.error.SyncException;
import java.util.Objects;

/**
 * One accepted op in {@code sync.ops.v1}: the message plus who sent it, its HLC timestamp (the
 * client's, or the gateway's when the client gave none), when the gateway received it (epoch ms) and
 * the delivery slot of the gateway that took it ({@code null} for ops the processor writes itself): the
 * processor routes the sender's refusals to that slot, and a presence op's slot is where the device's
 * events go from then on.
 */
public record Op(String userId, String deviceId, Hlc timestamp, long receivedAt, OpBody body, Integer gatewaySlot) {

    /** Slots are partitions of the delivery topic; this bounds the field, not a deployment. */
    public static final int MAX_SLOT = 65_535;

    public Op {
        Ids.userId(userId, "user_id");
        Ids.deviceId(deviceId, "device_id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
        if (gatewaySlot != null && (gatewaySlot < 0 || gatewaySlot > MAX_SLOT)) {
            throw SyncException.badRequest("gateway_slot must be 0-" + MAX_SLOT);
        }
    }

    /** An op that no gateway took (written by the processor, a tool or a test). */
    public Op(String userId, String deviceId, Hlc timestamp, long receivedAt, OpBody body) {
        this(userId, deviceId, timestamp, receivedAt, body, null);
    }
}
