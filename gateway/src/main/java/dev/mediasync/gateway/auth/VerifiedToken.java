package dev.mediasync.gateway.auth;

import java.time.Instant;

/** A verified bearer token: who it speaks for, and until when. */
public record VerifiedToken(AuthenticatedDevice device, Instant expiresAt) {
}
