package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.gateway.support.FakeQueryApi;
import dev.mediasync.gateway.support.Properties;
import dev.mediasync.protocol.MessageCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotDeliveryTest {

    private final FakeQueryApi processor = new FakeQueryApi();
    private final EdgeTimer timer = new EdgeTimer();
    private final RecordingSocket socket = new RecordingSocket();

    SnapshotDeliveryTest() throws IOException {
    }

    @AfterEach
    void close() {
        timer.destroy();
        processor.close();
    }

    private SnapshotDelivery delivery(String retryFor) {
        GatewayProperties properties = Properties.gateway("processor-url", processor.url().toString(),
                "processor-token", FakeQueryApi.TOKEN, "snapshot-retry-for", retryFor);
        MessageCodec codec = new MessageCodec();
        return new SnapshotDelivery(new SnapshotClient(codec, properties), codec, properties, timer);
    }

    private static final CompletableFuture<Long> UNROUTED = CompletableFuture.completedFuture(-1L);

    private DeviceSession session() {
        return new DeviceSession(new FrameSink.Blocking(socket), new AuthenticatedDevice("alice", "tv"),
                Instant.now().plusSeconds(3600), "s1", Runnable::run, 10_000, new FrameAssembler(4096, 65536),
                System::currentTimeMillis);
    }

    @Test
    void theSnapshotGoesFirstAndReleasesWhatWasHeld() {
        DeviceSession session = session();
        long version = FakeQueryApi.versionOf("alice");
        session.push("{\"older\":1}", version); // shown by the snapshot
        session.push("{\"newer\":1}", version + 1);
        delivery("30s").deliver(session, UNROUTED);

        await().atMost(5, TimeUnit.SECONDS).until(() -> socket.texts().size() == 2);
        assertThat(socket.texts()).containsExactly(FakeQueryApi.snapshotOf("alice"), "{\"newer\":1}");
        assertThat(socket.closedWith).isNull();
    }

    @Test
    void aProcessorThatFailsForAMomentIsAskedAgain() {
        processor.failNext(2);
        DeviceSession session = session();
        delivery("30s").deliver(session, UNROUTED);

        await().atMost(10, TimeUnit.SECONDS).until(() -> !socket.texts().isEmpty());
        assertThat(socket.texts()).containsExactly(FakeQueryApi.snapshotOf("alice"));
        assertThat(processor.requests).hasSize(3);
    }

    @Test
    void noSnapshotWithinTheRetryWindowAsksTheDeviceToReconnectWithoutAPartialView() {
        processor.failNext(Integer.MAX_VALUE);
        DeviceSession session = session();
        session.push("{\"held\":1}", 5);
        delivery("1s").deliver(session, UNROUTED);

        await().atMost(10, TimeUnit.SECONDS).until(() -> socket.closedWith != null);
        assertThat(socket.closedWith.getCode()).isEqualTo(1013);
        assertThat(socket.texts()).singleElement().asString().contains("\"code\":\"unavailable\"");
        assertThat(processor.requests.size()).isGreaterThan(1);
    }

    @Test
    void aSnapshotBehindTheConnectOpIsReadAgainUntilItShowsIt() {
        processor.behindFor(3);
        DeviceSession session = session();
        delivery("30s").deliver(session, CompletableFuture.completedFuture(FakeQueryApi.versionOf("alice")));

        await().atMost(10, TimeUnit.SECONDS).until(() -> !socket.texts().isEmpty());
        assertThat(socket.texts()).containsExactly(FakeQueryApi.snapshotOf("alice"));
        assertThat(processor.requests).hasSize(4);
    }

    @Test
    void aConnectTheLogDidNotTakeAsksTheDeviceToReconnect() {
        DeviceSession session = session();
        delivery("30s").deliver(session, CompletableFuture.failedFuture(new IllegalStateException("log down")));

        await().atMost(10, TimeUnit.SECONDS).until(() -> socket.closedWith != null);
        assertThat(socket.closedWith.getCode()).isEqualTo(1013);
        assertThat(processor.requests).isEmpty();
    }
}
