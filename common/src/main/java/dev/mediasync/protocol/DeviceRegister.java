package dev.mediasync.protocol;

import dev.mediasync.device.Platform;
import dev.mediasync.error.SyncException;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** A device introduces itself: its name, platform and capabilities. */
public record DeviceRegister(String opId, String name, Platform platform, List<String> capabilities)
        implements ClientMessage {

    public static final String TYPE = "device_register";
    public static final int MAX_NAME = 100;
    public static final int MAX_CAPABILITIES = 32;
    public static final int MAX_CAPABILITY = 32;

    public DeviceRegister {
        if (opId != null) {
            Ids.opId(opId, "op_id");
        }
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw SyncException.badRequest("name must be 1–" + MAX_NAME + " chars, not blank");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw SyncException.badRequest("name must not contain control characters");
        }
        if (platform == null) {
            throw SyncException.badRequest("platform is required");
        }
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        if (capabilities.size() > MAX_CAPABILITIES) {
            throw SyncException.badRequest("capabilities must have at most " + MAX_CAPABILITIES + " items");
        }
        for (String capability : capabilities) {
            if (capability.isEmpty() || capability.length() > MAX_CAPABILITY) {
                throw SyncException.badRequest("capabilities must be strings of 1–" + MAX_CAPABILITY + " chars");
            }
        }
    }

    static DeviceRegister read(JsonFields f) {
        return new DeviceRegister(f.optionalString("op_id"), f.string("name"),
                f.enumValue("platform", Platform.class), f.optionalStrings("capabilities", MAX_CAPABILITIES));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        JsonWriting.optionalString(g, "op_id", opId);
        g.writeStringProperty("name", name);
        g.writeStringProperty("platform", WireEnum.wire(platform));
        JsonWriting.strings(g, "capabilities", capabilities);
    }
}
