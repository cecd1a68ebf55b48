package dev.mediasync.gateway.auth;

/** Who is calling: the token's subject (the user) and the device acting for them. */
public record AuthenticatedDevice(String userId, String deviceId) {
}
