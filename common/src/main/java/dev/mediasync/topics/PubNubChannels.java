package dev.mediasync.topics;

/** The PubNub channels the relay publishes to. */
public final class PubNubChannels {

    public static final String GLOBAL_ANNOUNCEMENTS = "global.announcements";

    private PubNubChannels() {
    }

    /** Watchlist and progress state of one user. */
    public static String sync(String userId) {
        return "user." + userId + ".sync";
    }

    /** Device and presence events of one user. */
    public static String devices(String userId) {
        return "user." + userId + ".devices";
    }

    /** Commands and handoffs for one user's devices. */
    public static String notifications(String userId) {
        return "user." + userId + ".notifications";
    }

    public static String region(String code) {
        return "region." + code + ".updates";
    }
}
