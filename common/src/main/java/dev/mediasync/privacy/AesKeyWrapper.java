package dev.mediasync.privacy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Wraps data keys with AES-GCM under a key-encryption key (KEK) given as 32 bytes in base64 (an
 * environment secret locally, a Kubernetes secret in {@code k8s/}). The associated data names the user
 * and the key id. For a rotation, earlier KEKs may be given too: they only unwrap.
 */
public final class AesKeyWrapper implements KeyWrapper {

    private final SecretKey kek;
    private final List<SecretKey> previous;

    public AesKeyWrapper(byte[] kek) {
        this(kek, List.of());
    }

    private AesKeyWrapper(byte[] kek, List<byte[]> previous) {
        this.kek = DataKey.aes(kek.clone());
        this.previous = previous.stream().map(bytes -> DataKey.aes(bytes.clone())).toList();
    }

    /**
     * @param base64   the KEK that wraps, 32 bytes in base64
     * @param previous earlier KEKs, comma-separated (empty: none): keys wrapped under them still unwrap
     */
    public static AesKeyWrapper fromBase64(String base64, String previous) {
        List<byte[]> earlier = previous == null || previous.isBlank() ? List.of()
                : Arrays.stream(previous.split(",")).map(String::strip).filter(k -> !k.isEmpty())
                        .map(AesKeyWrapper::decode).toList();
        return new AesKeyWrapper(decode(base64), earlier);
    }

    /** @param base64 32 bytes, base64 (standard or URL-safe) */
    public static AesKeyWrapper fromBase64(String base64) {
        return new AesKeyWrapper(decode(base64));
    }

    private static byte[] decode(String base64) {
        byte[] kek;
        try {
            kek = base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(base64.strip()) : Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key-encryption key must be base64: " + e.getMessage());
        }
        if (kek.length != 32) {
            throw new IllegalArgumentException("the key-encryption key must be 32 bytes (base64 of 32 random bytes, "
                    + "e.g. `openssl rand -base64 32`), not " + kek.length);
        }
        return kek;
    }

    @Override
    public byte[] wrap(String userId, DataKey key) {
        byte[] secret = key.secret().getEncoded();
        byte[] out = new byte[AesGcm.sealedLength(secret.length)];
        AesGcm.seal(kek, aad(userId, key.id()), secret, out, 0);
        return out;
    }

    @Override
    public DataKey unwrap(String userId, String keyId, byte[] wrapped) {
        UnreadableException failed;
        try {
            return unwrap(kek, userId, keyId, wrapped);
        } catch (UnreadableException e) {
            failed = e;
        }
        for (SecretKey earlier : previous) {
            try {
                return unwrap(earlier, userId, keyId, wrapped);
            } catch (UnreadableException e) {
                // not this one either
            }
        }
        throw failed;
    }

    private static DataKey unwrap(SecretKey kek, String userId, String keyId, byte[] wrapped) {
        return new DataKey(keyId, DataKey.aes(AesGcm.open(kek, aad(userId, keyId), wrapped, 0, wrapped.length)));
    }

    private static byte[] aad(String userId, String keyId) {
        return ("sync.keys.v1|" + userId + "|" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
