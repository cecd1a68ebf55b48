package dev.mediasync.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.support.Properties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NewDeviceGuardTest {

    private Instant now = Instant.parse("2026-11-27T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final NewDeviceGuard guard = new NewDeviceGuard(Properties.gateway("max-new-devices-per-hour", "2"), clock);

    @Test
    void refusesOneNewDeviceIdTooManyWithinTheHourButNotAKnownOne() {
        guard.admit(new AuthenticatedDevice("alice", "tv"));
        guard.admit(new AuthenticatedDevice("alice", "phone"));

        assertThatThrownBy(() -> guard.admit(new AuthenticatedDevice("alice", "rotated-1")))
                .isInstanceOfSatisfying(SyncException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
        assertThatCode(() -> guard.admit(new AuthenticatedDevice("alice", "tv"))).doesNotThrowAnyException();
        assertThatCode(() -> guard.admit(new AuthenticatedDevice("bob", "tv"))).doesNotThrowAnyException();
    }

    @Test
    void admitsNewDeviceIdsAgainOnceTheHourHasPassed() {
        guard.admit(new AuthenticatedDevice("alice", "tv"));
        guard.admit(new AuthenticatedDevice("alice", "phone"));
        now = now.plus(Duration.ofMinutes(61));

        assertThatCode(() -> guard.admit(new AuthenticatedDevice("alice", "tablet"))).doesNotThrowAnyException();
    }
}
