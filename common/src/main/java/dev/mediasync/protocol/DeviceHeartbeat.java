package dev.mediasync.protocol;

import tools.jackson.core.JsonGenerator;

/** "Still here": keeps the device online between other frames. */
public record DeviceHeartbeat() implements ClientMessage {

    public static final String TYPE = "device_heartbeat";

    static DeviceHeartbeat read(JsonFields f) {
        return new DeviceHeartbeat();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        // no fields
    }
}
