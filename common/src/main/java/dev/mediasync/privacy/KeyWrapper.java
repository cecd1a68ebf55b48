package dev.mediasync.privacy;

/**
 * Wraps a user's data key for storage in {@code sync.keys.v1} and unwraps it again. The platform's
 * implementation is {@link AesKeyWrapper} with a key-encryption key from configuration; a KMS (AWS KMS,
 * Google Cloud KMS, Vault transit) implements the same two calls. The wrapping is bound to the user and
 * the key id, so a wrapped key copied under another user or id does not unwrap.
 */
public interface KeyWrapper {

    byte[] wrap(String userId, DataKey key);

    /** @throws UnreadableException {@code TAMPERED} when the wrapped key is not one this wrapper made for that user and id */
    DataKey unwrap(String userId, String keyId, byte[] wrapped);
}
