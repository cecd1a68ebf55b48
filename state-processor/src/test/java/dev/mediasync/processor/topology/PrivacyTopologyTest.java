package dev.mediasync.processor.topology;

import static dev.mediasync.processor.topology.TopologyFixture.START;
import static dev.mediasync.processor.topology.TopologyFixture.USER;
import static dev.mediasync.processor.topology.TopologyFixture.add;
import static dev.mediasync.processor.topology.TopologyFixture.presence;
import static dev.mediasync.processor.topology.TopologyFixture.progress;
import static dev.mediasync.processor.topology.TopologyFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.Platform;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.privacy.AesKeyWrapper;
import dev.mediasync.privacy.DataKey;
import dev.mediasync.privacy.SealedOps;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.emit.Emitter;
import dev.mediasync.processor.privacy.KeyStore;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.UserErase;
import dev.mediasync.protocol.UserErased;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealed ops opened with their user's data key, unreadable ones dead-lettered, and an erase, on the real topology. */
class PrivacyTopologyTest {

    static final String KEK = Base64.getEncoder().encodeToString(new byte[32]);
    private static final AesKeyWrapper WRAPPER = AesKeyWrapper.fromBase64(KEK);

    @TempDir
    Path stateDir;

    private TopologyFixture fx;
    private final DataKey aliceKey = DataKey.generate();

    @BeforeEach
    void start() {
        fx = new TopologyFixture(stateDir, ProcessorProperties.of(Map.of("sync.processor.kek", KEK)));
    }

    @AfterEach
    void stop() {
        try {
            fx.assertNothingElseEmitted();
        } finally {
            fx.close();
        }
    }

    private void writeKey(String user, DataKey key) {
        fx.keysIn.pipeInput(Topics.keyRecordKey(user, key.id()), WRAPPER.wrap(user, key));
    }

    /** An op as the gateway with delivery slot 0 writes it, sealed. */
    private byte[] sealed(String user, DataKey key, String device, long ms, OpBody body) {
        return SealedOps.seal(user, key, fx.codec.encodeOp(new Op(user, device, Hlc.of(START + ms, 0), START + ms, body, 0)));
    }

    private String deadLetterCode() {
        List<TestRecord<String, byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        return new String(dead.get(0).headers().lastHeader(Emitter.HEADER_ERROR_CODE).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aSealedOpIsOpenedWithItsUsersKeyAndApplied() {
        writeKey(USER, aliceKey);
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 10, add("a1", "tmdb:550")));

        List<UserEvent> events = fx.stateEvents();
        assertThat(events).hasSize(1);
        assertThat(((WatchlistState) events.get(0).event()).contentId()).isEqualTo("tmdb:550");
        fx.settle();
    }

    @Test
    void aSealedOpReadBeforeItsKeyWaitsForTheKeyAndIsThenAppliedInLogOrder() {
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 10, add("a1", "tmdb:550")));
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 20, progress("p1", "tmdb:550", 60)));
        assertThat(fx.stateRecords()).as("nothing applied yet").isEmpty();
        assertThat(fx.snapshot(USER).watchlist()).isEmpty();

        writeKey(USER, aliceKey);

        assertThat(fx.stateEvents()).extracting(e -> e.event().type()).containsExactly("watchlist_state", "progress_state");
        assertThat(fx.snapshot(USER).watchlist()).hasSize(1);
        fx.deliveries.readRecordsToList();
    }

    @Test
    void aSealedOpWhoseKeyNeverComesIsDeadLetteredAsUnreadableAfterTheParkTimeoutAndChangesNothing() {
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 10, add("a1", "tmdb:550")));
        fx.advanceWallClock(java.time.Duration.ofSeconds(5));
        assertThat(fx.deadLetters.readRecordsToList()).isEmpty();

        fx.advanceWallClock(java.time.Duration.ofSeconds(6));

        assertThat(deadLetterCode()).isEqualTo("unreadable");
        writeKey(USER, aliceKey); // too late: nothing waits any more
        assertThat(fx.snapshot(USER).watchlist()).isEmpty();
    }

    @Test
    void aTamperedCiphertextIsDeadLetteredAndChangesNothing() {
        writeKey(USER, aliceKey);
        byte[] value = sealed(USER, aliceKey, "tv-1", 10, add("a1", "tmdb:550"));
        value[value.length - 20] ^= 1;
        fx.ops.pipeInput(USER, value);

        assertThat(deadLetterCode()).isEqualTo("unreadable");
        assertThat(fx.snapshot(USER).watchlist()).isEmpty();
    }

    @Test
    void anOpMovedToAnotherUsersKeyDoesNotOpenEvenWhenThatUserHasAKeyOfTheSameId() {
        writeKey(USER, aliceKey);
        DataKey bobsWithAlicesId = new DataKey(aliceKey.id(), DataKey.generate().secret());
        writeKey("bob", bobsWithAlicesId);
        fx.ops.pipeInput("bob", sealed(USER, aliceKey, "tv-1", 10, add("a1", "tmdb:550")));

        assertThat(deadLetterCode()).isEqualTo("unreadable");
        assertThat(fx.snapshot("bob").watchlist()).isEmpty();
    }

    @Test
    void anEraseDeletesEveryEntityTombstonesStateAndKeysAndRefusesTheUsersLaterOps() {
        writeKey(USER, aliceKey);
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 0, presence(PresenceEvent.CONNECT, "s1")));
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 5, register("Living room", Platform.TV)));
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 10, add("a1", "tmdb:550")));
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 20, progress("p1", "tmdb:603", 120)));
        writeKey("bob", DataKey.generate());
        fx.send("bob", "phone", Hlc.of(START + 25, 0), START + 25, add("b1", "tmdb:13"));
        fx.settle();

        fx.send(USER, "api", Hlc.of(START + 30, 0), START + 30, new UserErase("e1", UserErase.RequestedBy.USER));

        List<TestRecord<String, byte[]>> state = fx.stateRecords();
        assertThat(state).extracting(TestRecord::key).containsExactly("alice|device|tv-1", "alice|progress|tmdb:603",
                "alice|watchlist|tmdb:550", "alice|account|erased");
        assertThat(state.subList(0, 3)).allSatisfy(r -> {
            assertThat(r.value()).isNull();
            assertThat(r.headers().lastHeader(Topics.HEADER_EVENT)).as("nothing of the entity in a header").isNull();
        });
        UserEvent erased = fx.codec.decodeEvent(state.get(3).value());
        assertThat(erased.event()).isEqualTo(new UserErased(Hlc.of(START + 30, 0)));
        assertThat(fx.deliveries.readRecordsToList()).as("user_erased to the online tv's gateway").hasSize(1);
        assertThat(fx.keysOut.readRecordsToList()).extracting(TestRecord::key, TestRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Topics.keyRecordKey(USER, aliceKey.id()), null));
        assertThat(fx.snapshot(USER).watchlist()).isEmpty();
        assertThat(fx.snapshot(USER).progress()).isEmpty();
        assertThat(fx.snapshot(USER).devices()).isEmpty();
        assertThat(fx.driver.<String, byte[]>getKeyValueStore(KeyStore.NAME).get(Topics.keyRecordKey(USER, aliceKey.id())))
                .isNull();
        assertThat(fx.snapshot("bob").watchlist()).as("another user untouched").hasSize(1);

        // a device that still writes (a new key from its gateway, then an op): refused, then its key destroyed
        DataKey late = DataKey.generate();
        writeKey(USER, late);
        assertThat(fx.keysOut.readRecordsToList()).isEmpty();
        fx.ops.pipeInput(USER, sealed(USER, late, "tv-1", 40, add("a2", "tmdb:1")));
        assertThat(fx.keysOut.readRecordsToList()).extracting(TestRecord::key, TestRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Topics.keyRecordKey(USER, late.id()), null));
        List<UserEvent> answers = fx.commandEvents();
        assertThat(answers).hasSize(1);
        assertThat(((ErrorMessage) answers.get(0).event()).code()).isEqualTo(ErrorCode.USER_ERASED);
        assertThat(fx.snapshot(USER).watchlist()).isEmpty();
        fx.deliveries.readRecordsToList();

        // the erased user's sealed ops, read again (a replay, or a crash re-read): skipped, not dead-lettered
        fx.ops.pipeInput(USER, sealed(USER, aliceKey, "tv-1", 50, add("a3", "tmdb:550")));
        assertThat(fx.snapshot(USER).watchlist()).isEmpty();

        // an erase resent: nothing more
        fx.send(USER, "api", Hlc.of(START + 60, 0), START + 60, new UserErase("e1", UserErase.RequestedBy.USER));
    }
}
