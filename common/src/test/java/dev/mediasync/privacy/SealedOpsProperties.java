package dev.mediasync.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;

/** The envelope of a sealed op: what opens, and that every change of bytes, key or identity is refused, typed. */
class SealedOpsProperties {

    private static final DataKey KEY = DataKey.generate();

    private static DataKey only(DataKey key, String keyId) {
        return key.id().equals(keyId) ? key : null;
    }

    @Property(tries = 300)
    void whatIsSealedOpensWithTheSameKeyAndUser(@ForAll @NotEmpty @AlphaChars String user,
                                                @ForAll @Size(max = 4096) byte[] op) {
        byte[] sealed = SealedOps.seal(user, KEY, op);

        assertThat(SealedOps.isSealed(sealed)).isTrue();
        assertThat(SealedOps.keyId(sealed)).isEqualTo(KEY.id());
        assertThat(SealedOps.open(user, sealed, (u, id) -> only(KEY, id))).isEqualTo(op);
    }

    @Property(tries = 300)
    void anyChangedByteIsRefusedAsMalformedOrTampered(@ForAll @Size(min = 1, max = 512) byte[] op,
                                                      @ForAll @IntRange(min = 0, max = 10_000) int at,
                                                      @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] sealed = SealedOps.seal("alice", KEY, op);
        sealed[at % sealed.length] ^= (byte) flip;

        assertThatThrownBy(() -> SealedOps.open("alice", sealed, (u, id) -> only(KEY, id)))
                .isInstanceOfSatisfying(UnreadableException.class, e -> assertThat(e.reason())
                        .isIn(UnreadableException.Reason.MALFORMED, UnreadableException.Reason.TAMPERED,
                                UnreadableException.Reason.UNKNOWN_KEY));
    }

    @Property(tries = 100)
    void anotherUserOrAnotherKeyOfTheSameIdDoesNotOpenIt(@ForAll @Size(max = 256) byte[] op) {
        byte[] sealed = SealedOps.seal("alice", KEY, op);
        DataKey impostor = new DataKey(KEY.id(), DataKey.generate().secret());

        assertThatThrownBy(() -> SealedOps.open("bob", sealed, (u, id) -> only(KEY, id)))
                .isInstanceOfSatisfying(UnreadableException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnreadableException.Reason.TAMPERED));
        assertThatThrownBy(() -> SealedOps.open("alice", sealed, (u, id) -> only(impostor, id)))
                .isInstanceOfSatisfying(UnreadableException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnreadableException.Reason.TAMPERED));
        assertThatThrownBy(() -> SealedOps.open("alice", sealed, (u, id) -> null))
                .isInstanceOfSatisfying(UnreadableException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnreadableException.Reason.UNKNOWN_KEY));
    }

    @Property(tries = 100)
    void aWrappedKeyUnwrapsOnlyForItsUserAndIdUnderItsKek(@ForAll @NotEmpty @AlphaChars String user) {
        AesKeyWrapper wrapper = AesKeyWrapper.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
        byte[] wrapped = wrapper.wrap(user, KEY);

        assertThat(wrapper.unwrap(user, KEY.id(), wrapped).secret()).isEqualTo(KEY.secret());
        assertThatThrownBy(() -> wrapper.unwrap(user + "x", KEY.id(), wrapped)).isInstanceOf(UnreadableException.class);
        assertThatThrownBy(() -> wrapper.unwrap(user, "other", wrapped)).isInstanceOf(UnreadableException.class);
        byte[] otherKek = new byte[32];
        otherKek[0] = 1;
        assertThatThrownBy(() -> new AesKeyWrapper(otherKek).unwrap(user, KEY.id(), wrapped))
                .isInstanceOf(UnreadableException.class);
    }

    @Property(tries = 50)
    void afterARotationKeysWrappedUnderThePreviousKekStillUnwrapAndNewOnesUseTheNewOne(
            @ForAll @NotEmpty @AlphaChars String user) {
        byte[] next = new byte[32];
        next[31] = 7;
        String old = Base64.getEncoder().encodeToString(new byte[32]);
        String current = Base64.getEncoder().encodeToString(next);
        byte[] wrappedBefore = AesKeyWrapper.fromBase64(old).wrap(user, KEY);
        AesKeyWrapper rotated = AesKeyWrapper.fromBase64(current, old);

        assertThat(rotated.unwrap(user, KEY.id(), wrappedBefore).secret()).isEqualTo(KEY.secret());
        byte[] wrappedAfter = rotated.wrap(user, KEY);
        assertThatThrownBy(() -> AesKeyWrapper.fromBase64(old).unwrap(user, KEY.id(), wrappedAfter))
                .as("wrapped under the new KEK").isInstanceOf(UnreadableException.class);
        assertThatThrownBy(() -> AesKeyWrapper.fromBase64(current).unwrap(user, KEY.id(), wrappedBefore))
                .as("without the previous KEK").isInstanceOf(UnreadableException.class);
    }

    @Property(tries = 50)
    void aKekThatIsNot32BytesOfBase64IsRefusedAtStart(@ForAll @IntRange(min = 0, max = 64) int length) {
        String kek = Base64.getEncoder().encodeToString(new byte[length]);
        if (length == 32) {
            assertThat(AesKeyWrapper.fromBase64(kek)).isNotNull();
        } else {
            assertThatThrownBy(() -> AesKeyWrapper.fromBase64(kek)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32 bytes");
        }
    }
}
