package dev.mediasync.protocol;

/** The two watchlist operations. */
public enum WatchlistOperation {
    ADD, REMOVE
}
