package dev.mediasync.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Merge is a join: commutative, associative, idempotent, over writes drawn from few values to force ties. */
class LwwRegisterProperties {

    @Provide
    Arbitrary<LwwRegister<Integer>> writes() {
        // One write per (timestamp, device, op): the value is a function of the write's identity.
        return Combinators.combine(Arbitraries.longs().between(0, 3), Arbitraries.integers().between(0, 1),
                Arbitraries.of("a", "b", "c"), Arbitraries.of("1", "2"))
                .as((ms, l, d, op) -> new LwwRegister<>((ms + l + d + op).hashCode(), Hlc.of(ms, l), d, op));
    }

    @Property
    void mergeIsCommutative(@ForAll("writes") LwwRegister<Integer> a, @ForAll("writes") LwwRegister<Integer> b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property
    void mergeIsAssociative(@ForAll("writes") LwwRegister<Integer> a, @ForAll("writes") LwwRegister<Integer> b,
                            @ForAll("writes") LwwRegister<Integer> c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void mergeIsIdempotent(@ForAll("writes") LwwRegister<Integer> a, @ForAll("writes") LwwRegister<Integer> b) {
        LwwRegister<Integer> merged = a.merge(b);
        assertThat(merged.merge(b)).isEqualTo(merged);
        assertThat(merged.merge(a)).isEqualTo(merged);
    }
}
