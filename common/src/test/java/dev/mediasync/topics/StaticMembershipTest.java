package dev.mediasync.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {

    @Test
    void anInstanceIdKeepsOnlyWhatKafkaAllowsAndTheHeartbeatIsAtMostASecond() {
        assertThat(StaticMembership.consumerSettings("localhost:8081", Duration.ofSeconds(6)))
                .containsEntry("group.instance.id", "localhost-8081")
                .containsEntry("session.timeout.ms", 6_000)
                .containsEntry("heartbeat.interval.ms", 1_000);
        assertThat(StaticMembership.consumerSettings("tv_1.a-b", Duration.ofMillis(2_400)))
                .containsEntry("group.instance.id", "tv_1.a-b")
                .containsEntry("heartbeat.interval.ms", 800);
    }
}
