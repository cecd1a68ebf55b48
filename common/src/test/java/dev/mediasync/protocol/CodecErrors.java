package dev.mediasync.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs a decode that must be refused as {@code bad_request} and returns the message. */
final class CodecErrors {

    private CodecErrors() {
    }

    static String of(ThrowingCallable decode) {
        AtomicReference<String> message = new AtomicReference<>();
        assertThatThrownBy(decode).isInstanceOfSatisfying(SyncException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            message.set(e.getMessage());
        });
        return message.get();
    }
}
