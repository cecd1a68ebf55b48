package dev.mediasync.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pubnub.api.java.PubNub;
import com.pubnub.api.crypto.CryptoModule;
import dev.mediasync.pubnub.FakePubNub;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The publisher with the real PubNub SDK against a stand-in speaking PubNub's publish API, the breaker on a clock the test moves. */
class PubNubPublisherTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final FakePubNub fake = new FakePubNub();
    private final HandClock clock = new HandClock();
    private PubNub pubnub;
    private CircuitBreaker breaker;

    @AfterEach
    void close() {
        if (pubnub != null) {
            pubnub.destroy();
        }
        fake.close();
    }

    private RelayProperties properties(String... settings) {
        Map<String, String> map = new HashMap<>(Map.of("sync.relay.publish-key", "pub-key",
                "sync.relay.subscribe-key", "sub-key", "sync.relay.origin", fake.origin(), "sync.relay.secure", "false",
                "sync.relay.request-timeout", "1s", "sync.relay.retry-backoff", "1ms", "sync.relay.retry-attempts", "3",
                "sync.relay.breaker-open-for", "10s"));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            map.put("sync.relay." + settings[i], settings[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("sync.relay", RelayProperties.class);
    }

    private PubNubPublisher publisher(RelayProperties properties) throws Exception {
        pubnub = new RelayConfig().pubnub(properties);
        breaker = CircuitBreaker.of("pubnub", RelayConfig.breakerConfig(properties, clock));
        return new PubNubPublisher(pubnub, properties, Retry.of("pubnub", RelayConfig.retryConfig(properties)), breaker,
                new SimpleMeterRegistry());
    }

    private static Publication to(String channel, String json) {
        return new Publication(channel, json);
    }

    @Test
    void publishesTheJsonToItsChannel() throws Exception {
        publisher(properties()).publish(to("user.alice.sync", "{\"type\":\"ack\",\"op_id\":\"o1\"}"));

        assertThat(fake.published()).singleElement().satisfies(p -> {
            assertThat(p.channel()).isEqualTo("user.alice.sync");
            assertThat(p.message()).isEqualTo("{\"type\":\"ack\",\"op_id\":\"o1\"}");
            assertThat(p.publishKey()).isEqualTo("pub-key");
        });
    }

    @Test
    void aMessageOverPubNubsLimitIsRefusedForGoodWithoutARequest() throws Exception {
        PubNubPublisher publisher = publisher(properties("max-message-size", "100B"));

        assertThatThrownBy(() -> publisher.publish(to("user.alice.sync", "{\"x\":\"" + "a".repeat(100) + "\"}")))
                .isInstanceOf(PublishFailure.Permanent.class).hasMessageContaining("exceeds PubNub's 100-byte limit");
        assertThat(fake.requests()).isZero();
    }

    @Test
    void aRefusalIsNotRetriedAndDoesNotCountAgainstPubNubsHealth() throws Exception {
        PubNubPublisher publisher = publisher(properties());
        fake.failAll(400);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> publisher.publish(to("user.alice.sync", "{}")))
                    .isInstanceOf(PublishFailure.Permanent.class);
        }
        assertThat(fake.requests()).isEqualTo(10);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aServerErrorIsRetriedUpToTheAttemptsThenHandedBack() throws Exception {
        PubNubPublisher publisher = publisher(properties("breaker-failure-rate", "100")); // the breaker stays out of it
        fake.fail(channel -> true, 500, 2);

        publisher.publish(to("user.alice.sync", "{}"));
        assertThat(fake.published()).hasSize(1);

        fake.failAll(503);
        int before = fake.requests();
        assertThatThrownBy(() -> publisher.publish(to("user.alice.sync", "{}")))
                .isInstanceOf(PublishFailure.Transient.class);
        assertThat(fake.requests() - before).as("retry-attempts").isEqualTo(3);
    }

    @Test
    void theBreakerKeepsEveryRequestFromPubNubWhileOpenAndLetsOneTrialThroughAfterItsOpenTime() throws Exception {
        PubNubPublisher publisher = publisher(properties());
        fake.failAll(500);
        while (breaker.getState() != CircuitBreaker.State.OPEN) {
            assertThatThrownBy(() -> publisher.publish(to("user.alice.sync", "{}")))
                    .isInstanceOf(PublishFailure.Transient.class);
        }
        int atOpen = fake.requests();

        clock.now = clock.now.plus(Duration.ofSeconds(9));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> publisher.publish(to("user.alice.sync", "{}")))
                    .isInstanceOf(PublishFailure.Transient.class).hasMessageContaining("circuit breaker open");
        }
        assertThat(fake.requests()).as("nothing reaches PubNub while open").isEqualTo(atOpen);

        fake.heal();
        clock.now = clock.now.plus(Duration.ofMillis(1_001)); // past breaker-open-for
        publisher.publish(to("user.alice.sync", "{\"after\":1}"));
        assertThat(fake.requests()).isEqualTo(atOpen + 1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void withACipherKeyOnlyTheKeyHolderReadsThePayload() throws Exception {
        publisher(properties("cipher-key", "enigma-0123456789")).publish(to("user.alice.sync", "{\"secret\":\"tmdb:550\"}"));

        String message = fake.published().get(0).message();
        assertThat(message).doesNotContain("tmdb:550");
        byte[] clear = CryptoModule.createAesCbcCryptoModule("enigma-0123456789", true)
                .decrypt(Base64.getDecoder().decode(message.substring(1, message.length() - 1)));
        assertThat(new String(clear, StandardCharsets.UTF_8)).isEqualTo("{\"secret\":\"tmdb:550\"}");
    }
}
