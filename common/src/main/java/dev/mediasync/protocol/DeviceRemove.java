package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/**
 * Forgets one of the user's devices. Only an offline device can be forgotten; device ops older than the
 * remove (by timestamp) are ignored afterwards, and a newer connect or registration brings the device
 * back as a new one.
 */
public record DeviceRemove(String opId, String targetDeviceId) implements ClientMessage {

    public static final String TYPE = "device_remove";

    public DeviceRemove {
        Ids.opId(opId, "op_id");
        Ids.deviceId(targetDeviceId, "target_device_id");
    }

    static DeviceRemove read(JsonFields f) {
        return new DeviceRemove(f.string("op_id"), f.string("target_device_id"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("target_device_id", targetDeviceId);
    }
}
