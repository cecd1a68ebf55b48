package dev.mediasync.progress;

/** What the player was doing when the position was reported. */
public enum PlaybackState {
    PLAYING, PAUSED, STOPPED, COMPLETED
}
