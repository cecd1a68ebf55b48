package dev.mediasync.device;

/** What the gateway saw of a device's connection; written to the op log as {@code device_presence}. */
public enum PresenceEvent {
    CONNECT, HEARTBEAT, DISCONNECT
}
