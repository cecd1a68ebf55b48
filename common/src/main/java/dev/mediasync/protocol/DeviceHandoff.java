package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/** Moves playback of a title to another device, which receives {@code play} at the resume position. */
public record DeviceHandoff(String opId, String targetDeviceId, String contentId) implements ClientMessage {

    public static final String TYPE = "device_handoff";

    public DeviceHandoff {
        Ids.opId(opId, "op_id");
        Ids.deviceId(targetDeviceId, "target_device_id");
        Ids.contentId(contentId, "content_id");
    }

    static DeviceHandoff read(JsonFields f) {
        return new DeviceHandoff(f.string("op_id"), f.string("target_device_id"), f.string("content_id"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("target_device_id", targetDeviceId);
        g.writeStringProperty("content_id", contentId);
    }
}
