package dev.mediasync.protocol;

import dev.mediasync.error.SyncException;
import tools.jackson.core.JsonGenerator;

/**
 * Erases the user everywhere ({@code DELETE /api/v1/users/me}, or an operator's {@code bin/sync-erase}):
 * written by the gateway into the user's partition of the op log, never sent by a device. The processor
 * deletes every entry of the user, tombstones their state and data keys, and refuses their ops from then
 * on (see docs/privacy.md).
 */
public record UserErase(String opId, RequestedBy requestedBy) implements OpBody {

    public static final String TYPE = "user_erase";

    /** Who asked, for the audit trail in the log. */
    public enum RequestedBy { USER, OPERATOR }

    public UserErase {
        Ids.opId(opId, "op_id");
        if (requestedBy == null) {
            throw SyncException.badRequest("requested_by is required");
        }
    }

    static UserErase read(JsonFields f) {
        return new UserErase(f.string("op_id"), f.enumValue("requested_by", RequestedBy.class));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void writeFields(JsonGenerator g) {
        g.writeStringProperty("op_id", opId);
        g.writeStringProperty("requested_by", WireEnum.wire(requestedBy));
    }
}
