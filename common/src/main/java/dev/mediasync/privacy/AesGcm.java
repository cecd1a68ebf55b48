package dev.mediasync.privacy;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-GCM with a random 96-bit nonce per message and a 128-bit tag: {@code nonce || ciphertext || tag}. */
final class AesGcm {

    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A Cipher is not thread-safe and costly to look up; one per thread, initialised per message. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM", e);
        }
    });

    private AesGcm() {
    }

    /** Writes {@code nonce || ciphertext || tag} into {@code out} at {@code offset}; returns the bytes written. */
    static int seal(SecretKey key, byte[] aad, byte[] plaintext, byte[] out, int offset) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, offset, NONCE_BYTES);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad);
            return NONCE_BYTES + cipher.doFinal(plaintext, 0, plaintext.length, out, offset + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to encrypt", e);
        }
    }

    static int sealedLength(int plaintextLength) {
        return NONCE_BYTES + plaintextLength + TAG_BYTES;
    }

    /** Opens {@code nonce || ciphertext || tag} from {@code in[offset, offset + length)}. */
    static byte[] open(SecretKey key, byte[] aad, byte[] in, int offset, int length) {
        if (length < NONCE_BYTES + TAG_BYTES) {
            throw new UnreadableException(UnreadableException.Reason.MALFORMED, "too short for a sealed message");
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, in, offset, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(in, offset + NONCE_BYTES, length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new UnreadableException(UnreadableException.Reason.TAMPERED,
                    "authentication failed (changed bytes, another user or another key)");
        } catch (GeneralSecurityException e) {
            throw new UnreadableException(UnreadableException.Reason.MALFORMED, e.getMessage());
        }
    }
}
