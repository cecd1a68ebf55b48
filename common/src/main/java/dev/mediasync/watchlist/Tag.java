package dev.mediasync.watchlist;

/**
 * A watchlist add's tag, derived from the op itself so that a resent add is the same add:
 * {@code "<device_id>/<op_id>"}. Device ids never contain {@code '/'}, so the form is unambiguous.
 */
public final class Tag {

    private Tag() {
    }

    public static String of(String deviceId, String opId) {
        return deviceId + '/' + opId;
    }

    /** The device that added the tag. */
    public static String deviceOf(String tag) {
        int slash = tag.indexOf('/');
        return slash < 0 ? tag : tag.substring(0, slash);
    }
}
