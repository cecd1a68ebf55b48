package dev.mediasync.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import org.junit.jupiter.api.Test;

class LwwRegisterTest {

    private static LwwRegister<String> write(String value, long ms, int logical, String device, String op) {
        return new LwwRegister<>(value, Hlc.of(ms, logical), device, op);
    }

    @Test
    void theHigherTimestampWinsBothWays() {
        LwwRegister<String> older = write("100s", 1000, 0, "tv-1", "a");
        LwwRegister<String> newer = write("150s", 1001, 0, "phone-1", "b");

        assertThat(older.merge(newer)).isSameAs(newer);
        assertThat(newer.merge(older)).isSameAs(newer);
    }

    @Test
    void theLogicalCounterOrdersWritesInTheSameMillisecond() {
        LwwRegister<String> first = write("x", 1000, 0, "z-device", "a");
        LwwRegister<String> second = write("y", 1000, 1, "a-device", "b");

        assertThat(first.merge(second)).isSameAs(second);
        assertThat(second.merge(first)).isSameAs(second);
    }

    @Test
    void onEqualTimestampsTheGreaterDeviceIdWinsBothWays() {
        LwwRegister<String> tv = write("tv", 1000, 0, "tv-1", "a");
        LwwRegister<String> phone = write("phone", 1000, 0, "phone-1", "b");

        assertThat(tv.merge(phone)).isSameAs(tv);
        assertThat(phone.merge(tv)).isSameAs(tv);
    }

    @Test
    void deviceIdsCompareByByteOrder() {
        LwwRegister<String> upper = write("upper", 1000, 0, "Z", "a");
        LwwRegister<String> lower = write("lower", 1000, 0, "a", "a");

        assertThat(upper.merge(lower)).isSameAs(lower);
    }

    @Test
    void aDeviceReusingATimestampIsOrderedByOpId() {
        LwwRegister<String> a = write("a", 1000, 0, "tv-1", "op-1");
        LwwRegister<String> b = write("b", 1000, 0, "tv-1", "op-2");

        assertThat(a.merge(b)).isSameAs(b);
        assertThat(b.merge(a)).isSameAs(b);
    }

    @Test
    void mergingTheSameWriteKeepsIt() {
        LwwRegister<String> w = write("x", 1000, 0, "tv-1", "a");

        assertThat(w.merge(write("x", 1000, 0, "tv-1", "a"))).isSameAs(w);
        assertThat(w.isOverwrittenBy(w)).isFalse();
    }
}
