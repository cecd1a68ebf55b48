package dev.mediasync.privacy;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * The value of a sealed op in {@code sync.ops.v1}: the op's JSON encrypted with one data key of its user.
 * <pre>
 *   0x00 0x01 | key id length (1 byte) | key id (ASCII) | nonce (12) | ciphertext | tag (16)
 * </pre>
 * The leading zero byte tells it from a plain JSON op (which starts with {@code '{'}). The associated data
 * is the op's identity outside the ciphertext: the topic's name, the user id (the record key) and the key
 * id, so a sealed op moved to another user, or relabelled with another key id, does not open.
 */
public final class SealedOps {

    static final byte MAGIC = 0x00;
    static final byte VERSION = 0x01;
    private static final int HEADER = 3;

    private SealedOps() {
    }

    /** Whether a record value is a sealed op (else it is read as a plain JSON op). */
    public static boolean isSealed(byte[] value) {
        return value != null && value.length > 0 && value[0] == MAGIC;
    }

    public static byte[] seal(String userId, DataKey key, byte[] opJson) {
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[HEADER + id.length + AesGcm.sealedLength(opJson.length)];
        out[0] = MAGIC;
        out[1] = VERSION;
        out[2] = (byte) id.length;
        System.arraycopy(id, 0, out, HEADER, id.length);
        AesGcm.seal(key.secret(), aad(userId, key.id()), opJson, out, HEADER + id.length);
        return out;
    }

    /** The id of the data key that opens this sealed op. */
    public static String keyId(byte[] sealed) {
        if (!isSealed(sealed) || sealed.length < HEADER || sealed[1] != VERSION) {
            throw new UnreadableException(UnreadableException.Reason.MALFORMED, "not a sealed op of version " + VERSION);
        }
        int length = Byte.toUnsignedInt(sealed[2]);
        if (length == 0 || sealed.length < HEADER + length) {
            throw new UnreadableException(UnreadableException.Reason.MALFORMED, "key id cut short");
        }
        try {
            return DataKey.requireId(new String(sealed, HEADER, length, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new UnreadableException(UnreadableException.Reason.MALFORMED, e.getMessage());
        }
    }

    /**
     * The op's JSON.
     *
     * @param keys the user's data key of that id, or {@code null} when none is known
     * @throws UnreadableException malformed, no such key, or authentication failed
     */
    public static byte[] open(String userId, byte[] sealed, BiFunction<String, String, DataKey> keys) {
        String keyId = keyId(sealed);
        DataKey key = keys.apply(userId, keyId);
        if (key == null) {
            throw new UnreadableException(UnreadableException.Reason.UNKNOWN_KEY,
                    "no data key " + keyId + " for this user (never written, or destroyed by an erase)");
        }
        int start = HEADER + keyId.length();
        return AesGcm.open(key.secret(), aad(userId, keyId), sealed, start, sealed.length - start);
    }

    private static byte[] aad(String userId, String keyId) {
        return ("sync.ops.v1|" + userId + "|" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
