package dev.mediasync.protocol;

import dev.mediasync.error.SyncException;
import tools.jackson.databind.JsonNode;

/** The identity rules of the protocol; each check names the field it refuses. */
public final class Ids {

    public static final int MAX_DEVICE_ID = 64;
    public static final int MAX_CONTENT_ID = 128;
    public static final int MAX_OP_ID = 64;
    public static final int MAX_USER_ID = 256;

    private Ids() {
    }

    /** 1–64 chars of {@code [A-Za-z0-9._:-]}. */
    public static String deviceId(String value, String field) {
        return check(value, field, MAX_DEVICE_ID, false, "[A-Za-z0-9._:-]");
    }

    /** 1–128 chars of {@code [A-Za-z0-9._:/-]}. */
    public static String contentId(String value, String field) {
        return check(value, field, MAX_CONTENT_ID, true, "[A-Za-z0-9._:/-]");
    }

    /** 1–64 printable ASCII chars, no spaces: an op id is an opaque token chosen by the client. */
    public static String opId(String value, String field) {
        requireLength(value, field, MAX_OP_ID);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw SyncException.badRequest(field + " must be printable ASCII without spaces");
            }
        }
        return value;
    }

    /** 1–256 chars without control characters: the JWT {@code sub} of any identity provider. */
    public static String userId(String value, String field) {
        requireLength(value, field, MAX_USER_ID);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw SyncException.badRequest(field + " must not contain control characters");
            }
        }
        return value;
    }

    private static String check(String value, String field, int max, boolean slash, String charset) {
        requireLength(value, field, max);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == ':' || c == '-' || slash && c == '/';
            if (!ok) {
                throw SyncException.badRequest(field + " must be 1–" + max + " chars of " + charset);
            }
        }
        return value;
    }

    private static void requireLength(String value, String field, int max) {
        if (value == null) {
            throw SyncException.badRequest(field + " is required");
        }
        if (value.isEmpty() || value.length() > max) {
            throw SyncException.badRequest(field + " must be 1–" + max + " chars long");
        }
    }

    /** The op id a frame names, when it is a valid one; {@code null} otherwise (a refusal then names none). */
    public static String opIdOrNull(JsonNode opId) {
        if (opId == null || !opId.isString()) {
            return null;
        }
        try {
            return opId(opId.stringValue(), "op_id");
        } catch (SyncException e) {
            return null;
        }
    }
}
