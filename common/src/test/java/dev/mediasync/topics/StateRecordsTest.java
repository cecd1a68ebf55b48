package dev.mediasync.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class StateRecordsTest {

    private static final byte[] EVENT = "{\"type\":\"progress_removed\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRecordsValueIsItsEvent() {
        byte[] value = "{\"type\":\"progress_state\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(StateRecords.event(value, new RecordHeaders().add(Topics.HEADER_EVENT, EVENT))).isSameAs(value);
    }

    @Test
    void aTombstonesEventIsInItsHeader() {
        assertThat(StateRecords.event(null, new RecordHeaders().add(Topics.HEADER_EVENT, EVENT))).isEqualTo(EVENT);
    }

    @Test
    void aTombstoneWithoutTheHeaderHasNoEvent() {
        assertThat(StateRecords.event(null, new RecordHeaders())).isNull();
    }
}
