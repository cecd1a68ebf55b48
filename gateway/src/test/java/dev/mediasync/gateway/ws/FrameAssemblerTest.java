package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.gateway.ws.FrameAssembler.Frame;
import dev.mediasync.gateway.ws.FrameAssembler.Verdict;
import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    private final FrameAssembler frames = new FrameAssembler(10, 20);

    @Test
    void aWholeFrameWithinTheLimitIsPassedOn() {
        assertThat(frames.add("{\"a\":1}", true)).isEqualTo(Frame.accepted("{\"a\":1}", 7));
    }

    @Test
    void partsAreJoinedIntoOneFrame() {
        assertThat(frames.add("{\"a\"", false)).isNull();
        assertThat(frames.add(":1}", true)).isEqualTo(Frame.accepted("{\"a\":1}", 7));
    }

    @Test
    void anOversizedFrameIsOnlyCountedAndTheNextFrameStartsClean() {
        assertThat(frames.add("0123456", false)).isNull();
        assertThat(frames.add("789abc", false)).isNull();
        assertThat(frames.add("def", true)).isEqualTo(new Frame(null, 16, Verdict.OVERSIZED));

        assertThat(frames.add("ok", true)).isEqualTo(Frame.accepted("ok", 2));
    }

    @Test
    void aFramePastTheCloseLimitIsReportedBeforeItsEnd() {
        assertThat(frames.add("0123456789", false)).isNull();
        assertThat(frames.add("0123456789", false)).isNull();
        assertThat(frames.add("x", false)).isEqualTo(new Frame(null, 21, Verdict.CLOSE));
    }

    @Test
    void aWholeFramePastTheCloseLimitCloses() {
        assertThat(frames.add("x".repeat(21), true).verdict()).isEqualTo(Verdict.CLOSE);
        assertThat(frames.add("x".repeat(20), true).verdict()).isEqualTo(Verdict.OVERSIZED);
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        assertThat(frames.add("ééééé", true).bytes()).isEqualTo(10);
        assertThat(frames.add("éééééé", true).verdict()).isEqualTo(Verdict.OVERSIZED);
    }

    @Test
    void aCloseLimitBelowTheFrameLimitIsRefused() {
        assertThatThrownBy(() -> new FrameAssembler(10, 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
