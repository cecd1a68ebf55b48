package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.support.Properties;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.PingMessage;

class PingerTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final SessionRegistry registry = new SessionRegistry();
    private final Pinger pinger = new Pinger(registry, Properties.gateway("ping-interval", "3s",
            "presence-timeout", "6s", "presence-heartbeat-interval", "2s"), clock::get);

    private RecordingSocket connect(String device) {
        RecordingSocket socket = new RecordingSocket();
        DeviceSession session = new DeviceSession(new FrameSink.Blocking(socket), new AuthenticatedDevice("alice", device),
                Instant.MAX, device, Runnable::run, 1_000, new FrameAssembler(4096, 65536), clock::get);
        session.release(null, -1);
        registry.tryAdd(session, 10);
        return socket;
    }

    @Test
    void everyConnectionIsPingedOncePerIntervalInItsOwnSlot() {
        List<RecordingSocket> sockets = List.of(connect("a"), connect("b"), connect("c"), connect("d"));

        for (int tick = 0; tick < 3; tick++) {
            pinger.pingSlot();
        }

        assertThat(sockets).allSatisfy(socket ->
                assertThat(socket.sent).singleElement().isInstanceOf(PingMessage.class));
    }

    @Test
    void aConnectionSilentForThePresenceTimeoutIsClosed() {
        RecordingSocket silent = connect("tv");
        clock.addAndGet(6_001);

        for (int tick = 0; tick < 3; tick++) {
            pinger.pingSlot();
        }

        assertThat(silent.closedWith).isEqualTo(Pinger.SILENT);
    }
}
