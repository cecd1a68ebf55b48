package dev.mediasync.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Channel names stay within PubNub's rules whatever the user id, and tell users apart. */
class PubNubChannelsTest {

    private static final List<String> HOSTILE = List.of("a.b", "a,b", "a:b", "a*b", "a/b", "a\\b", "a b", "tab\tid",
            "auth0|5f1c2", "user@example.com", "ünïcödé", "🎬🍿", "~plain", "x".repeat(65), "y".repeat(256),
            "..", ".", "a.sync", "user.bob.sync", "%2F", "\u0000");

    @Test
    void safeIdsAppearAsTheyAre() {
        assertThat(PubNubChannels.sync("alice")).isEqualTo("user.alice.sync");
        assertThat(PubNubChannels.devices("user_42-b")).isEqualTo("user.user_42-b.devices");
        assertThat(PubNubChannels.notifications("x".repeat(64))).isEqualTo("user." + "x".repeat(64) + ".notifications");
    }

    @Test
    void everyIdGivesValidDistinctStableChannelNames() {
        Set<String> segments = new HashSet<>();
        for (String id : HOSTILE) {
            for (String channel : List.of(PubNubChannels.sync(id), PubNubChannels.devices(id),
                    PubNubChannels.notifications(id))) {
                assertThat(channel).as(id).hasSizeLessThanOrEqualTo(92).matches("user\\.[A-Za-z0-9_~-]+\\.[a-z]+");
            }
            String segment = PubNubChannels.userSegment(id);
            assertThat(segment).as(id).startsWith("~").hasSize(33).isEqualTo(PubNubChannels.userSegment(id));
            segments.add(segment);
        }
        assertThat(segments).hasSameSizeAs(HOSTILE);
        assertThat(segments).doesNotContain("alice", "plain");
    }
}
