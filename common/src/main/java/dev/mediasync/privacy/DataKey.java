package dev.mediasync.privacy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One user's data key: the AES-256 key their ops are sealed with, and its id (carried in every sealed op,
 * so that a reader knows which key opens it). Destroying every data key of a user makes their ops in the
 * log unreadable: that is how a user is erased from a log that is kept forever.
 */
public record DataKey(String id, SecretKey secret) {

    /** Key ids are short, random and URL-safe: they say nothing about the user. */
    public static final int MAX_ID_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    public DataKey {
        requireId(id);
        Objects.requireNonNull(secret, "secret");
    }

    /** A fresh random key with a fresh random id. */
    public static DataKey generate() {
        byte[] secret = new byte[32];
        byte[] id = new byte[12];
        RANDOM.nextBytes(secret);
        RANDOM.nextBytes(id);
        return new DataKey(Base64.getUrlEncoder().withoutPadding().encodeToString(id), aes(secret));
    }

    static SecretKey aes(byte[] secret) {
        if (secret.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + secret.length);
        }
        return new SecretKeySpec(secret, "AES");
    }

    static String requireId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH
                || !id.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
            throw new IllegalArgumentException("a key id has 1-" + MAX_ID_LENGTH + " characters A-Z a-z 0-9 - _");
        }
        return id;
    }

    @Override
    public String toString() {
        return "DataKey[" + id + "]"; // never the secret
    }
}
