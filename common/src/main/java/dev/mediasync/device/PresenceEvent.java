package dev.mediasync.device;

/**
 * What the gateway saw of a device's connection, written to the op log as {@code device_presence}; and
 * {@code timeout}, written there by the processor when it finds a device silent for the presence timeout,
 * so that going offline is in the log like every other change and a replay reproduces it.
 */
public enum PresenceEvent {
    CONNECT, HEARTBEAT, DISCONNECT, TIMEOUT
}
