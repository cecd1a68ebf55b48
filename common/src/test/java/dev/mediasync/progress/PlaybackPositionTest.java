package dev.mediasync.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.SyncException;
import org.junit.jupiter.api.Test;

class PlaybackPositionTest {

    @Test
    void resumesFiveSecondsBeforeThePosition() {
        PlaybackPosition p = new PlaybackPosition(3245, 8217, PlaybackState.PAUSED);

        assertThat(p.completed()).isFalse();
        assertThat(p.resumePositionSeconds()).isEqualTo(3240);
    }

    @Test
    void resumesFromTheStartNearTheBeginning() {
        assertThat(new PlaybackPosition(3, 100, PlaybackState.PLAYING).resumePositionSeconds()).isZero();
    }

    @Test
    void countsAsCompletedAtTheCreditsOrWhenThePlayerSaysSo() {
        assertThat(new PlaybackPosition(95, 100, PlaybackState.PLAYING).completed()).isTrue();
        assertThat(new PlaybackPosition(94.9, 100, PlaybackState.PLAYING).completed()).isFalse();
        assertThat(new PlaybackPosition(10, 100, PlaybackState.COMPLETED).completed()).isTrue();
        assertThat(new PlaybackPosition(10, 100, PlaybackState.COMPLETED).resumePositionSeconds()).isZero();
    }

    @Test
    void aZeroDurationIsNeverCompletedByPosition() {
        assertThat(new PlaybackPosition(0, 0, PlaybackState.PLAYING).completed()).isFalse();
    }

    @Test
    void refusesInvalidPositionsNamingTheField() {
        assertThatThrownBy(() -> new PlaybackPosition(101, 100, PlaybackState.PLAYING))
                .isInstanceOf(SyncException.class).hasMessage("position_seconds must be ≤ duration_seconds");
        assertThatThrownBy(() -> new PlaybackPosition(-1, 100, PlaybackState.PLAYING))
                .hasMessageStartingWith("position_seconds");
        assertThatThrownBy(() -> new PlaybackPosition(0, 86_401, PlaybackState.PLAYING))
                .hasMessage("duration_seconds must be ≤ 86400");
        assertThatThrownBy(() -> new PlaybackPosition(Double.NaN, 100, PlaybackState.PLAYING))
                .hasMessageStartingWith("position_seconds");
        assertThatThrownBy(() -> new PlaybackPosition(0, Double.POSITIVE_INFINITY, PlaybackState.PLAYING))
                .hasMessageStartingWith("duration_seconds");
        assertThatThrownBy(() -> new PlaybackPosition(0, 100, null)).hasMessage("state is required");
    }
}
