package dev.mediasync.gateway.e2e;

import static dev.mediasync.gateway.e2e.Device.text;
import static dev.mediasync.gateway.e2e.Device.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence at shortened timings (pings every 2 s, a 4 s presence timeout on the gateway and the
 * processor): an idle device that answers pings stays online for many timeout periods, and one that
 * goes away without closing is taken offline.
 */
@TestKafka(partitions = 12)
class PresenceIT {

    private static TestBroker kafka;
    private static Platform platform;
    private static int gateway;

    @BeforeAll
    static void start(TestBroker broker) {
        kafka = broker;
        platform = new Platform(kafka.bootstrapServers(),
                "--sync.processor.presence-timeout=4s", "--sync.processor.presence-check-interval=500ms");
        gateway = platform.startGateway("--sync.gateway.ping-interval=2s", "--sync.gateway.presence-timeout=4s",
                "--sync.gateway.presence-heartbeat-interval=1500ms");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void anIdleConnectedDeviceNeverFlapsOfflineOverFiveTimeoutPeriods() {
        try (Device tv = Device.connect(gateway, "idle-user", "tv-1");
             Device phone = Device.connect(gateway, "idle-user", "phone")) {
            await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25)).until(() -> phone.received().stream()
                    .noneMatch(m -> type(m, "device_state") && "tv-1".equals(text(m, "device_id"))
                            && !m.get("online").booleanValue()));

            assertThat(phone.received()).noneMatch(m -> type(m, "device_state") && !m.get("online").booleanValue());
            assertThat(tv.closedWith()).isNull();
        }
    }
}
