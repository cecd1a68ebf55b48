package dev.mediasync.protocol;

/** A message a device sends the gateway. */
public sealed interface ClientMessage extends OpBody
        permits DeviceRegister, WatchlistUpdate, ProgressUpdate, DeviceHeartbeat, DeviceCommandRequest,
        DeviceHandoff, ProgressRemove, DeviceRemove, TokenRefresh {
}
