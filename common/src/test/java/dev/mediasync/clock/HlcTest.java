package dev.mediasync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HlcTest {

    @Test
    void packsPhysicalTimeAboveTheLogicalCounter() {
        Hlc hlc = Hlc.of(1_764_197_000_123L, 7);

        assertThat(hlc.physicalMs()).isEqualTo(1_764_197_000_123L);
        assertThat(hlc.logical()).isEqualTo(7);
        assertThat(hlc.packed()).isEqualTo(1_764_197_000_123L << 16 | 7);
        assertThat(hlc).hasToString("1764197000123:7");
    }

    @Test
    void ordersByPhysicalTimeThenCounter() {
        assertThat(Hlc.of(10, 65_535)).isLessThan(Hlc.of(11, 0));
        assertThat(Hlc.of(10, 1)).isGreaterThan(Hlc.of(10, 0));
        assertThat(Hlc.of(Hlc.MAX_PHYSICAL, 0)).isGreaterThan(Hlc.of(1, 0));
    }

    @Test
    void parsesTheWireForm() {
        assertThat(Hlc.parse("1764197000123:0")).isEqualTo(Hlc.of(1_764_197_000_123L, 0));
        assertThat(Hlc.parse("0:0")).isEqualTo(Hlc.MIN);
        assertThat(Hlc.parse("281474976710655:65535")).isEqualTo(Hlc.of(Hlc.MAX_PHYSICAL, Hlc.MAX_LOGICAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "1:", ":1", "1", "a:0", "1:b", "-1:0", "1:-1", "+1:0", " 1:0", "1:0 ",
        "01:0", "1:00", "1:2:3", "1.5:0", "1:65536", "281474976710656:0", "9999999999999999:0", "1e3:0"})
    void refusesAnythingButTheCanonicalForm(String text) {
        assertThatThrownBy(() -> Hlc.parse(text, "added_at"))
                .isInstanceOfSatisfying(SyncException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith("added_at ");
                });
    }

    @Test
    void refusesOutOfRangeParts() {
        assertThatThrownBy(() -> Hlc.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hlc.of(Hlc.MAX_PHYSICAL + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hlc.of(0, Hlc.MAX_LOGICAL + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
