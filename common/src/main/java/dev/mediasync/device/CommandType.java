package dev.mediasync.device;

/** Remote-control commands one device sends another. */
public enum CommandType {
    PLAY, PAUSE, SEEK, STOP, CAST
}
