package dev.mediasync.topics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The PubNub channels the relay publishes to. PubNub allows 92 characters per channel name and no
 * {@code , : * / \} or whitespace, and reads {@code .} as a level separator; user ids (a token's
 * {@code sub}) may hold any of those and be 256 characters long. So a user appears in channel names as
 * {@link #userSegment}: the id itself when it is 1–64 of {@code [A-Za-z0-9_-]}, else {@code ~} and the hex
 * of the first 16 bytes of its SHA-256 (a collision needs 2^64 ids; the {@code ~} keeps the two forms apart).
 */
public final class PubNubChannels {

    public static final String GLOBAL_ANNOUNCEMENTS = "global.announcements";
    /** Every {@code sync.trending.v1} list, for every client. */
    public static final String GLOBAL_TRENDING = "global.trending";
    /** A channel-safe user id, as it is, needs no hashing. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private PubNubChannels() {
    }

    /** How {@code userId} appears in its channels' names. */
    public static String userSegment(String userId) {
        if (PLAIN.matcher(userId).matches()) {
            return userId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return "~" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Watchlist and progress state of one user. */
    public static String sync(String userId) {
        return "user." + userSegment(userId) + ".sync";
    }

    /** Device and presence events of one user. */
    public static String devices(String userId) {
        return "user." + userSegment(userId) + ".devices";
    }

    /** Commands and handoffs for one user's devices. */
    public static String notifications(String userId) {
        return "user." + userSegment(userId) + ".notifications";
    }

    /** Every channel of one user (their history is deleted when they are erased). */
    public static java.util.List<String> ofUser(String userId) {
        return java.util.List.of(sync(userId), devices(userId), notifications(userId));
    }

    public static String region(String code) {
        return "region." + code + ".updates";
    }
}
