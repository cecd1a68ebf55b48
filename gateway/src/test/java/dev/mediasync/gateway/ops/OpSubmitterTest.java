package dev.mediasync.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.clock.Hlc;
import dev.mediasync.clock.HybridClock;
import dev.mediasync.clock.Retention;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpSubmitterTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final AuthenticatedDevice TV = new AuthenticatedDevice("alice", "tv");

    private final MessageCodec codec = new MessageCodec();
    private final List<Op> logged = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final OpLogWriter writer = new OpLogWriter((topic, key, value) -> {
        keys.add(key);
        logged.add(codec.decodeOp(value));
        return CompletableFuture.completedFuture((long) logged.size());
    }, 10, System::nanoTime, nanos -> { });
    private final UserClocks clocks = new UserClocks(new HybridClock(() -> NOW, Duration.ofMinutes(5)),
            Duration.ofMinutes(5), 1_000);
    private final OpSubmitter submitter = new OpSubmitter(writer, codec, clocks, new Retention(Duration.ofDays(30)), 3,
            dev.mediasync.topics.SyncTopics.defaults(), null, 10);

    @AfterEach
    void close() throws InterruptedException {
        submitter.destroy();
    }

    private ClientRequest request(String json) {
        return codec.decodeClient(json);
    }

    @Test
    void anOpWithoutATimestampIsStampedByTheGatewayAndAckedWithThatStamp() throws Exception {
        Ack ack = submitter.submit(TV, request("{\"type\":\"watchlist_update\",\"op_id\":\"o1\","
                + "\"operation\":\"add\",\"content_id\":\"tmdb:1\"}")).get(5, TimeUnit.SECONDS);

        assertThat(ack.opId()).isEqualTo("o1");
        assertThat(ack.timestamp().physicalMs()).isEqualTo(NOW);
        assertThat(keys).containsExactly("alice");
        Op op = logged.get(0);
        assertThat(op.timestamp()).isEqualTo(ack.timestamp());
        assertThat(op.deviceId()).isEqualTo("tv");
        assertThat(op.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void aClientTimestampIsKeptAndOrdersTheUsersNextStamp() throws Exception {
        Hlc ahead = Hlc.of(NOW + 60_000, 3);
        Ack first = submitter.submit(TV, request("{\"type\":\"watchlist_update\",\"op_id\":\"o1\","
                + "\"operation\":\"add\",\"content_id\":\"tmdb:1\",\"timestamp\":\"" + ahead + "\"}"))
                .get(5, TimeUnit.SECONDS);
        Ack next = submitter.submit(TV, request("{\"type\":\"watchlist_update\",\"op_id\":\"o2\","
                + "\"operation\":\"add\",\"content_id\":\"tmdb:2\"}")).get(5, TimeUnit.SECONDS);

        assertThat(first.timestamp()).isEqualTo(ahead);
        assertThat(next.timestamp()).isGreaterThan(ahead);
    }

    @Test
    void aTimestampPastTheSkewBoundIsRefusedAndNothingIsLogged() {
        Hlc farAhead = Hlc.of(NOW + Duration.ofMinutes(6).toMillis(), 0);
        assertThatThrownBy(() -> submitter.submit(TV, request("{\"type\":\"watchlist_update\",\"op_id\":\"o1\","
                + "\"operation\":\"add\",\"content_id\":\"tmdb:1\",\"timestamp\":\"" + farAhead + "\"}")))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW));
        assertThat(logged).isEmpty();
    }

    @Test
    void aTimestampOlderThanTheRetentionHorizonIsRefusedAsStale() {
        Hlc old = Hlc.of(NOW - Duration.ofDays(31).toMillis(), 0);
        assertThatThrownBy(() -> submitter.submit(TV, request("{\"type\":\"watchlist_update\",\"op_id\":\"o1\","
                + "\"operation\":\"add\",\"content_id\":\"tmdb:1\",\"timestamp\":\"" + old + "\"}")))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE));
        assertThat(logged).isEmpty();
    }

    @Test
    void aPresenceChangeIsLoggedWithItsSessionAndThisGatewaysSlot() throws Exception {
        submitter.presence(TV, PresenceEvent.CONNECT, "session-1").get(5, TimeUnit.SECONDS);

        assertThat(logged).singleElement().satisfies(op -> {
            assertThat(op.body()).isEqualTo(new DevicePresence(PresenceEvent.CONNECT, "session-1"));
            assertThat(op.userId()).isEqualTo("alice");
            assertThat(op.gatewaySlot()).isEqualTo(3);
        });
    }
}
