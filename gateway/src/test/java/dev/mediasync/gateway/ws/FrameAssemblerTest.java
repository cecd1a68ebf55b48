package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    private final FrameAssembler frames = new FrameAssembler(10);

    @Test
    void aWholeFrameWithinTheLimitIsPassedOn() {
        assertThat(frames.add("{\"a\":1}", true)).isEqualTo(new FrameAssembler.Frame("{\"a\":1}", 7, false));
    }

    @Test
    void partsAreJoinedIntoOneFrame() {
        assertThat(frames.add("{\"a\"", false)).isNull();
        assertThat(frames.add(":1}", true)).isEqualTo(new FrameAssembler.Frame("{\"a\":1}", 7, false));
    }

    @Test
    void anOversizedFrameIsOnlyCountedAndTheNextFrameStartsClean() {
        assertThat(frames.add("0123456", false)).isNull();
        assertThat(frames.add("789abc", false)).isNull();
        assertThat(frames.add("def", true)).isEqualTo(new FrameAssembler.Frame(null, 16, true));

        assertThat(frames.add("ok", true)).isEqualTo(new FrameAssembler.Frame("ok", 2, false));
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        assertThat(frames.add("ééééé", true).bytes()).isEqualTo(10);
        assertThat(frames.add("éééééé", true).oversized()).isTrue();
    }
}
