package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.gateway.support.Properties;
import dev.mediasync.protocol.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConnectAdmissionTest {

    private final GatewayProperties properties = Properties.gateway("connect-rate-per-second", "10",
            "processor-token", "test");
    private final ConnectAdmission admission = new ConnectAdmission(properties, new SnapshotDelivery(
            new SnapshotClient(new MessageCodec(), properties), new MessageCodec(), properties, new EdgeTimer()));

    private List<Long> refusals(int attempts) {
        List<Long> retries = new ArrayList<>();
        IntStream.range(0, attempts).forEach(i -> retries.add(admission.admit()));
        return retries.stream().filter(ms -> ms > 0).toList(); // a token may have refilled meanwhile
    }

    @Test
    void theBurstIsAdmittedThenRefusedDevicesAreToldToComeBackWithinOneToTwoSeconds() {
        assertThat(IntStream.range(0, 10).mapToLong(i -> admission.admit())).containsOnly(0L);

        List<Long> retries = refusals(50);
        assertThat(retries).hasSizeGreaterThan(40).allSatisfy(ms -> assertThat(ms).isBetween(1_000L, 1_999L));
        assertThat(retries.stream().distinct().count()).as("spread, not all at once").isGreaterThan(10);
    }
}
