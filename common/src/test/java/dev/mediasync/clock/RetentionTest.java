package dev.mediasync.clock;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionTest {

    private final Retention retention = new Retention(Duration.ofDays(30));
    private final long now = 1_764_197_000_000L;

    @Test
    void refusesATimestampOlderThanTheHorizonAsStale() {
        Hlc old = Hlc.of(now - Duration.ofDays(30).toMillis() - 1, 0);

        assertThatThrownBy(() -> retention.requireFresh(old, now)).isInstanceOfSatisfying(SyncException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.STALE));
    }

    @Test
    void acceptsATimestampAtTheHorizon() {
        Hlc edge = Hlc.of(now - Duration.ofDays(30).toMillis(), 0);

        assertThatCode(() -> retention.requireFresh(edge, now)).doesNotThrowAnyException();
    }
}
