package dev.mediasync.trending;

import dev.mediasync.topics.SyncTopics;
import dev.mediasync.topics.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the trending consumer, bound from {@code sync.trending.*} (environment {@code SYNC_TRENDING_*}).
 *
 * @param applicationId Kafka Streams application id (its consumer group and internal topic prefix)
 * @param stateDir where RocksDB keeps the counts
 * @param window the sliding window a title's count covers ("trending in the last hour")
 * @param advance how far the window slides at a time: counts are kept per window starting every
 *     {@code advance}, and the list published is the latest window that is (nearly) complete
 * @param grace how late (by record time) an event may arrive and still count in its window
 * @param top titles per list
 * @param publishInterval how often the lists are checked and published when they changed
 * @param replicationFactor replication of {@code sync.trending.v1} and of the internal topics
 * @param instanceId this instance's static group membership (default: the host name, a pod's name): a
 *     restart under the same id takes its partition back at once, where a new member would wait out the
 *     old one's session (Kafka Streams does not leave its group when it closes)
 * @param sessionTimeout a killed instance's partition moves after this long
 * @param topic where the lists go
 * @param topics the platform's topic names (the state topic is read)
 * @param streams any further Kafka Streams setting, applied last
 */
@ConfigurationProperties("sync.trending")
public record TrendingProperties(
        @DefaultValue("sync-trending") String applicationId,
        @DefaultValue("data/trending") String stateDir,
        @DefaultValue("1h") Duration window,
        @DefaultValue("5m") Duration advance,
        @DefaultValue("1m") Duration grace,
        @DefaultValue("10") int top,
        @DefaultValue("10s") Duration publishInterval,
        @DefaultValue("1") short replicationFactor,
        String instanceId,
        @DefaultValue("6s") Duration sessionTimeout,
        @DefaultValue(Topics.TRENDING) String topic,
        SyncTopics topics,
        Map<String, String> streams) {

    public TrendingProperties {
        topics = topics == null ? SyncTopics.defaults() : topics;
        streams = streams == null ? Map.of() : Map.copyOf(streams);
        instanceId = instanceId == null || instanceId.isBlank() ? hostName() : instanceId;
        if (advance.isZero() || advance.isNegative() || advance.compareTo(window) > 0) {
            throw new IllegalArgumentException("sync.trending.advance must be positive and at most the window ("
                    + window + "), was " + advance);
        }
        if (top < 1 || top > 100) {
            throw new IllegalArgumentException("sync.trending.top must be 1-100, was " + top);
        }
    }

    /** The defaults with another window, for tests. */
    static TrendingProperties of(Duration window, Duration advance, int top) {
        return new TrendingProperties("sync-trending", "data/trending", window, advance, Duration.ofMinutes(1), top,
                Duration.ofSeconds(10), (short) 1, null, Duration.ofSeconds(6), Topics.TRENDING,
                SyncTopics.defaults(), Map.of());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "trending"; // one instance per host is all a fixed id can serve
        }
    }
}
