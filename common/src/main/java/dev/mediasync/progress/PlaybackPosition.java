package dev.mediasync.progress;

import dev.mediasync.error.SyncException;

/**
 * Where a user is in one title. Positions are seconds, fractional allowed.
 *
 * <p>A title counts as completed when the player says so or when the position has reached {@link
 * #COMPLETION_RATIO} of the duration (the credits). The resume position backs off {@link
 * #RESUME_REWIND_SECONDS} so the viewer sees the last moment again, and is 0 for a completed title.
 */
public record PlaybackPosition(double positionSeconds, double durationSeconds, PlaybackState state) {

    public static final double MAX_DURATION_SECONDS = 86_400;
    public static final double COMPLETION_RATIO = 0.95;
    public static final double RESUME_REWIND_SECONDS = 5;

    public PlaybackPosition {
        requireSeconds(positionSeconds, "position_seconds");
        requireSeconds(durationSeconds, "duration_seconds");
        if (durationSeconds > MAX_DURATION_SECONDS) {
            throw SyncException.badRequest("duration_seconds must be ≤ " + (long) MAX_DURATION_SECONDS);
        }
        if (positionSeconds > durationSeconds) {
            throw SyncException.badRequest("position_seconds must be ≤ duration_seconds");
        }
        if (state == null) {
            throw SyncException.badRequest("state is required");
        }
    }

    private static void requireSeconds(double value, String field) {
        if (!Double.isFinite(value) || value < 0) {
            throw SyncException.badRequest(field + " must be a non-negative number of seconds");
        }
    }

    public boolean completed() {
        return state == PlaybackState.COMPLETED
                || durationSeconds > 0 && positionSeconds >= COMPLETION_RATIO * durationSeconds;
    }

    public double resumePositionSeconds() {
        return completed() ? 0 : Math.max(0, positionSeconds - RESUME_REWIND_SECONDS);
    }
}
