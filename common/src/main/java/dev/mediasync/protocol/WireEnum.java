package dev.mediasync.protocol;

import dev.mediasync.error.SyncException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum constants travel as their lower-case names ({@code PLAYING} as {@code "playing"}). */
public final class WireEnum {

    private WireEnum() {
    }

    public static String wire(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** @throws SyncException {@code bad_request} naming {@code field} and the allowed values */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
        for (E constant : type.getEnumConstants()) {
            if (wire(constant).equals(text)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(WireEnum::wire)
                .collect(Collectors.joining(", "));
        throw SyncException.badRequest(field + " must be one of " + allowed);
    }
}
