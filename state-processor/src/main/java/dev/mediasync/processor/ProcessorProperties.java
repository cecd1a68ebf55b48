package dev.mediasync.processor;

import dev.mediasync.topics.SyncTopics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the processor, bound from {@code sync.processor.*} (environment variables
 * {@code SYNC_PROCESSOR_*}); the Kafka bootstrap servers come from {@code spring.kafka.bootstrap-servers}.
 *
 * @param applicationId Kafka Streams application id: instances with the same id share the work
 * @param stateDir where RocksDB keeps the stores
 * @param streamThreads stream threads of this instance
 * @param partitions partitions of topics created at start-up
 * @param replicationFactor replication of topics created at start-up (and of the stores' changelogs)
 * @param standbyReplicas warm copies of each store on other instances, for fail-over in seconds (none are
 *     made while only one instance runs)
 * @param advertisedUrl how other instances reach this one's query API ({@code host:port})
 * @param instanceId this instance's static group membership: a restart under the same id takes its
 *     partitions back without a rebalance, and a clean stop hands them over at once. Must be unique and
 *     stable per instance (a pod name); default: the advertised URL, which already is
 * @param sessionTimeout how long a silent (killed) instance keeps its partitions before they move; the
 *     broker's {@code group.min.session.timeout.ms} (6 s by default) is the floor
 * @param queryToken the shared secret callers of the query API (the gateways, other instances) send in
 *     the {@code X-Sync-Query-Token} header; required, at least 16 characters
 * @param presenceTimeout a device silent this long is marked offline
 * @param presenceCheckInterval how often silent devices are looked for (wall-clock)
 * @param presenceSweep look for silent devices at all: each found is taken offline by a {@code timeout} op
 *     this processor writes into the op log; off for a replay, which finds those ops in the log
 * @param profile {@code latency} (default: every op's result is sent at once) or {@code bulk} (for a
 *     replay: store caches, long commits and full compressed batches; see {@link Profile})
 * @param commandTtl how long a command stays valid ({@code expires_at})
 * @param tombstoneRetention how long remove watermarks are kept; older ops are dead-lettered as stale
 * @param opsRetention retention of the op log when this processor creates it; unset: forever (the log is
 *     the source of truth: a replay needs all of it, at least {@code tombstone-retention})
 * @param maxClockSkew how far an op's timestamp may be ahead of when the gateway received it
 * @param dedupWindow how long each device's op ids are remembered to recognise resent ops
 * @param rocksdbMemory the memory of all RocksDB stores of this process together: block cache, index and
 *     filter blocks and memtables (see {@code BoundedRocksDbMemory}); 0 leaves each store RocksDB's own
 *     sizing, which grows with the number of partitions
 * @param deliveries write each event for the gateways to the delivery topic as well, to the slots holding
 *     the user's devices (off for a replay: no live gateway is to get its events)
 * @param deliverySlots partitions of the delivery topic when this processor creates it: one per gateway
 *     slot, so at least the number of gateways (a gateway refuses a slot beyond them)
 * @param kek the key-encryption key that unwraps users' data keys ({@code SYNC_PRIVACY_KEK}: the same 32
 *     bytes in base64 as the gateways' {@code sync.privacy.kek}); empty: sealed ops cannot be read and are
 *     dead-lettered as {@code unreadable} (docs/privacy.md)
 * @param previousKeks earlier key-encryption keys, comma-separated, during a rotation: data keys wrapped
 *     under them still unwrap ({@code kek} wraps nothing here; the gateways wrap with theirs)
 * @param compactionLag how soon a replaced, removed or erased record is compacted away from the state and keys
 *     topics and the stores' changelogs (their segments roll this often, and compaction runs within this of
 *     a write; Kafka rolls a segment only on a write after it): with {@code removal-retention}, how long
 *     until an erase is complete there (docs/privacy.md)
 * @param removalRetention how long a tombstone stays readable in those topics, so that a consumer that was
 *     away this long still sees the removal
 * @param liveRetention how long the delivery and command topics keep events (read live only)
 * @param parkTimeout how long a sealed op waits for its data key's record (written first, on another topic,
 *     so read after it now and then) before it is dead-lettered as {@code unreadable}
 * @param maxParkedPerUser sealed ops of one user that may wait for their key at once; beyond, dead-lettered
 * @param limits per-user caps on stored state (see {@link Limits})
 * @param topics topic names
 * @param streams any further Kafka Streams, consumer or producer setting, applied last (keys as in
 *     {@code StreamsConfig}, e.g. {@code sync.processor.streams.[max.poll.records]=500})
 */
@ConfigurationProperties("sync.processor")
public record ProcessorProperties(
        @DefaultValue("sync-state-processor") String applicationId,
        @DefaultValue("data/state-processor") String stateDir,
        @DefaultValue("1") int streamThreads,
        @DefaultValue("12") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("1") int standbyReplicas,
        @DefaultValue("localhost:8081") String advertisedUrl,
        String instanceId,
        @DefaultValue("6s") Duration sessionTimeout,
        String queryToken,
        @DefaultValue("60s") Duration presenceTimeout,
        @DefaultValue("5s") Duration presenceCheckInterval,
        @DefaultValue("true") boolean presenceSweep,
        @DefaultValue("latency") Profile profile,
        @DefaultValue("30s") Duration commandTtl,
        @DefaultValue("30d") Duration tombstoneRetention,
        Duration opsRetention,
        @DefaultValue("60s") Duration maxClockSkew,
        @DefaultValue("24h") Duration dedupWindow,
        @DefaultValue("256MB") DataSize rocksdbMemory,
        @DefaultValue("true") boolean deliveries,
        @DefaultValue("16") int deliverySlots,
        @DefaultValue("") String kek,
        @DefaultValue("") String previousKeks,
        @DefaultValue("10s") Duration parkTimeout,
        @DefaultValue("1h") Duration compactionLag,
        @DefaultValue("1d") Duration removalRetention,
        @DefaultValue("1h") Duration liveRetention,
        @DefaultValue("1000") int maxParkedPerUser,
        @DefaultValue Limits limits,
        SyncTopics topics,
        Map<String, String> streams) {

    /** The defaults are the annotations' alone (bound by Spring or by {@link #of}); here only what they cannot say. */
    public ProcessorProperties {
        topics = topics == null ? SyncTopics.defaults() : topics;
        streams = streams == null ? Map.of() : Map.copyOf(streams);
        instanceId = instanceId == null || instanceId.isBlank() ? advertisedUrl : instanceId;
    }

    /**
     * The settings of a compacted topic of user data (state, keys, the stores' changelogs): segments roll
     * and are compacted within {@code compaction-lag}, tombstones readable for {@code removal-retention}.
     */
    public Map<String, String> compactedTopic(String minCleanableRatio) {
        return Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(compactionLag.toMillis()),
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(compactionLag.toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, minCleanableRatio,
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(removalRetention.toMillis()));
    }

    /** What the Kafka Streams settings favour (see {@code SyncTopology.streamsConfig}). */
    public enum Profile {
        /** Live traffic: each op's result is produced as soon as it exists, nothing waits for a batch. */
        LATENCY,
        /** Rebuilding from the log: nobody waits for one op, so writes are cached, batched and compressed. */
        BULK
    }

    /**
     * What one user may keep; an op that would go beyond is dead-lettered with {@code limit_exceeded} and
     * its sender gets an {@code error}. Removed titles, progress and devices count until their remove is
     * past {@code tombstone-retention}, because until then they decide late ops.
     *
     * @param titles watchlist titles, including removed titles whose remove watermark is kept
     * @param progress titles with progress, including removed ones
     * @param devices devices, including forgotten ones
     * @param tagsPerTitle live tags of one title (one per device that added it)
     */
    public record Limits(
            @DefaultValue("10000") int titles,
            @DefaultValue("10000") int progress,
            @DefaultValue("100") int devices,
            @DefaultValue("16") int tagsPerTitle) {
    }

    /** For every topic this processor creates, changelogs included: 1 for one or two replicas, else 2. */
    public int minInsyncReplicas() {
        return Math.max(1, Math.min(2, replicationFactor - 1));
    }

    /**
     * Settings bound from {@code sync.processor.*} properties as the application binds them, the defaults for
     * the rest: for tests and tools that run the topology without Spring (e.g. {@code
     * of(Map.of("sync.processor.profile", "bulk"))}).
     */
    public static ProcessorProperties of(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("sync.processor",
                ProcessorProperties.class);
    }

    /** The defaults, as {@link #of} binds them from nothing. */
    public static ProcessorProperties defaults() {
        return of(Map.of());
    }
}
