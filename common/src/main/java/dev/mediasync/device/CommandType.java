package dev.mediasync.device;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Remote-control commands one device sends another, each with the capability a target must have to
 * receive it. A device declares {@link #PLAYBACK} and {@link #CAST_CAPABILITY} among its registered
 * capabilities; one that declares neither (it never registered, or only lists media features such as
 * {@code 4k}) is taken to support playback, not casting.
 */
public enum CommandType {
    PLAY, PAUSE, SEEK, STOP, CAST;

    /** The capability for play, pause, seek and stop, and for being the target of a handoff. */
    public static final String PLAYBACK = "playback";
    /** The capability for {@code cast}. */
    public static final String CAST_CAPABILITY = "cast";

    private static final Set<String> CONTROL = Set.of(PLAYBACK, CAST_CAPABILITY);

    public String requiredCapability() {
        return this == CAST ? CAST_CAPABILITY : PLAYBACK;
    }

    /** Whether a device with these registered capabilities can perform this command. */
    public boolean isSupportedBy(Collection<String> capabilities) {
        if (capabilities.stream().noneMatch(CONTROL::contains)) {
            return this != CAST;
        }
        return capabilities.contains(requiredCapability());
    }

    /** @throws SyncException {@code unsupported_command} when device {@code target} cannot perform this command */
    public void requireSupportedBy(String target, Collection<String> capabilities) {
        if (!isSupportedBy(capabilities)) {
            throw new SyncException(ErrorCode.UNSUPPORTED_COMMAND, "target_device_id " + target + " cannot "
                    + name().toLowerCase(Locale.ROOT) + ": its capabilities " + capabilities + " do not include '"
                    + requiredCapability() + "'");
        }
    }
}
