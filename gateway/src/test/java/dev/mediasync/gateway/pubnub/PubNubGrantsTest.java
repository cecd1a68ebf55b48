package dev.mediasync.gateway.pubnub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.support.Properties;
import dev.mediasync.pubnub.FakePubNub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The grant rules, with the real PubNub SDK against a stand-in for PubNub's Access Manager. */
class PubNubGrantsTest {

    private static final AuthenticatedDevice TV = new AuthenticatedDevice("alice", "tv-1");

    private final FakePubNub fake = FakePubNub.withAccessManager();
    private PubNubGrants grants;

    @AfterEach
    void close() {
        if (grants != null) {
            grants.close();
        }
        fake.close();
    }

    private PubNubGrants grants(String... settings) throws Exception {
        String[] all = new String[settings.length + 8];
        System.arraycopy(new String[] {"subscribe-key", "sub-key", "secret-key", "sec-key", "origin", fake.origin(),
                "secure", "false"}, 0, all, 0, 8);
        System.arraycopy(settings, 0, all, 8, settings.length);
        grants = new PubNubGrants(Properties.pubnub(all));
        return grants;
    }

    @Test
    void aDeviceMayReadItsOwnUsersChannelsAndTheBroadcastsAndWriteNothing() throws Exception {
        Instant now = Instant.now();
        PubNubGrants.Grant grant = grants().grant(TV, now.plus(Duration.ofHours(1)), now).get(10, TimeUnit.SECONDS);

        assertThat(grant.pubnubUserId()).isEqualTo(PubNubGrants.pubnubUserId(TV));
        FakePubNub.Grant granted = fake.grants().get(0);
        assertThat(granted.uuid()).isEqualTo(grant.pubnubUserId());
        assertThat(granted.channels()).containsOnlyKeys(PubNubGrants.channelsOf("alice"))
                .allSatisfy((channel, bits) -> assertThat(bits).isEqualTo(FakePubNub.READ));
        assertThat(granted.channels().keySet()).allMatch(channel -> channel.startsWith("user.alice."));
        assertThat(granted.patterns()).isEqualTo(Map.of("^global\\..*", FakePubNub.READ,
                "^region\\.[A-Za-z0-9_-]+\\.updates$", FakePubNub.READ));
        assertThat(grant.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(60)));
    }

    @Test
    void aGrantEndsNoLaterThanMaxTtlEvenForALongerToken() throws Exception {
        Instant now = Instant.now();
        PubNubGrants.Grant grant = grants("max-ttl", "30m").grant(TV, now.plus(Duration.ofDays(7)), now)
                .get(10, TimeUnit.SECONDS);

        assertThat(grant.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(30)));
    }

    @Test
    void grantsBeyondThoseWaitingForPubNubAreRefusedAtOnce() throws Exception {
        PubNubGrants grants = grants("max-pending-grants", "1", "grant-timeout", "10s");
        fake.holdGrants();
        Instant now = Instant.now();
        CompletableFuture<PubNubGrants.Grant> waiting = grants.grant(TV, now.plus(Duration.ofHours(1)), now);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.heldGrants() == 1);

        CompletableFuture<PubNubGrants.Grant> refused = grants.grant(new AuthenticatedDevice("bob", "tv"),
                now.plus(Duration.ofHours(1)), now);
        assertUnavailable(refused);

        fake.answerGrants();
        assertThat(waiting.get(10, TimeUnit.SECONDS).pubnubUserId()).isEqualTo(PubNubGrants.pubnubUserId(TV));
    }

    @Test
    void aPubNubThatDoesNotAnswerInTimeIsUnavailable() throws Exception {
        PubNubGrants grants = grants("grant-timeout", "200ms");
        fake.holdGrants();
        Instant now = Instant.now();
        CompletableFuture<PubNubGrants.Grant> grant = grants.grant(TV, now.plus(Duration.ofHours(1)), now);

        await().atMost(5, TimeUnit.SECONDS).until(grant::isDone);
        assertUnavailable(grant);
        fake.answerGrants();
    }

    private static void assertUnavailable(CompletableFuture<PubNubGrants.Grant> grant) {
        assertThat(grant).failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void anErasedUsersTokensAreRevokedAndGrantNothingMoreAnotherUsersStay() throws Exception {
        Instant now = Instant.now();
        PubNubGrants pubnub = grants();
        PubNubGrants.Grant tv = pubnub.grant(TV, now.plus(Duration.ofHours(1)), now).get(10, TimeUnit.SECONDS);
        PubNubGrants.Grant phone = pubnub.grant(new AuthenticatedDevice("alice", "phone"), now.plus(Duration.ofHours(1)),
                now).get(10, TimeUnit.SECONDS);
        PubNubGrants.Grant bob = pubnub.grant(new AuthenticatedDevice("bob", "tv"), now.plus(Duration.ofHours(1)), now)
                .get(10, TimeUnit.SECONDS);

        assertThat(pubnub.revoke("alice")).isEqualTo(2);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> fake.revoked().containsAll(List.of(tv.token(), phone.token())));
        assertThat(fake.revoked()).doesNotContain(bob.token());
        assertThat(pubnub.revoke("alice")).as("nothing left to revoke").isZero();
    }
}
