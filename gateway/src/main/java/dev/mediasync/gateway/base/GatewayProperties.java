package dev.mediasync.gateway.base;

import dev.mediasync.protocol.Op;
import dev.mediasync.topics.SyncTopics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every limit and timing of the gateway, bound from {@code sync.gateway.*} (environment variables
 * {@code SYNC_GATEWAY_*}).
 *
 * @param maxFrameBytes larger frames are refused with {@code too_large} (the connection stays open)
 * @param frameCloseLimit a frame that grows past this closes the connection with 1009 as soon as it does
 *     (no sync message comes near it; reading on would let one connection stream without end)
 * @param maxClockSkew client timestamps further ahead of the server clock are refused ({@code clock_skew})
 * @param tombstoneRetention client timestamps older than this are refused ({@code stale})
 * @param pingInterval how often the server pings every connection
 * @param presenceTimeout a connection silent this long (no frame, no pong) is closed
 * @param presenceHeartbeatInterval at most one presence heartbeat per device is written to the log this often;
 *     shorter than {@code ping-interval}, so that every pong writes one and an early pong never skips one
 * @param sendBuffer bytes queued for one slow device before its connection is dropped
 * @param sendTimeout how long one write to a device may take before its connection is dropped
 * @param senderThreads threads that start writes to device connections and send pings (no write holds one)
 * @param rateLimitCapacity burst of frames (or REST writes) one device may send
 * @param rateLimitPerSecond sustained frames per second of one device
 * @param userRateLimitCapacity burst of frames and REST writes of one user, all devices together
 * @param userRateLimitPerSecond sustained frames and REST writes per second of one user
 * @param readRateLimitCapacity burst of reads of one user: REST GETs and WebSocket connects (each reads a
 *     snapshot)
 * @param readRateLimitPerSecond sustained reads per second of one user
 * @param maxConnectionsPerUser WebSocket connections one user may hold on one gateway; a further upgrade is
 *     refused ({@code limit_exceeded}, 429)
 * @param connectRatePerSecond new WebSocket connections one gateway admits per second, all users together
 *     (burst the same); beyond, the upgrade is refused with 503 {@code unavailable} and a retry time
 * @param maxPendingSnapshots snapshot reads of new connections in flight at once; while this many are
 *     waiting, further upgrades are refused the same way (the processor is slow or down)
 * @param maxNewDevicesPerHour device ids one user may use for the first time on one gateway within an hour
 * @param rateLimitBuckets users (and devices) whose rate-limit state is kept; the least recent go first
 * @param maxPendingWrites ops waiting for the op log's writer; beyond, ops are refused at once
 *     ({@code unavailable}), as when the log is down
 * @param maxBodyBytes larger REST bodies are refused before they are read ({@code too_large}, 413)
 * @param permessageDeflate accept permessage-deflate when a client offers it (off: see {@code WithoutCompression})
 * @param allowedOrigins origin patterns accepted at the WebSocket upgrade; empty: the gateway's own origin
 *     only (clients that send no {@code Origin}, such as apps and servers, are not affected)
 * @param processorUrl base URLs of the state processors' query API (comma-separated); reads go to them in
 *     turn, and one that fails passes the read to the next
 * @param processorToken the processor's query token ({@code sync.processor.query-token}), sent with every
 *     snapshot read
 * @param snapshotTimeout how long a snapshot read may take
 * @param snapshotRequests snapshot requests one gateway has out at once; reads that come while they are out
 *     go together in the next one (up to 64 users a request), so many devices connecting cost the processor
 *     few requests, and one device alone never waits for a batch
 * @param snapshotRetryFor how long a new connection's snapshot is retried before the device is told to
 *     reconnect (close code 1013)
 * @param console serve the device console at {@code /console/} (and send {@code /} there): a page for trying
 *     the platform with dev tokens; on in {@code bin/sync-local}, off by default
 * @param slot this gateway's delivery slot: the partition of the delivery topic it reads, stamped on every op
 *     it writes. Unique among the running gateways and stable across restarts (a StatefulSet ordinal);
 *     below the topic's partitions ({@code sync.processor.delivery-slots})
 * @param delivery {@code routed} (default): read only this slot's deliveries; {@code all}: read every
 *     state and command record and drop what no device here needs (for comparison)
 * @param topics topic names
 */
@ConfigurationProperties("sync.gateway")
public record GatewayProperties(
        @DefaultValue("4096") int maxFrameBytes,
        @DefaultValue("64KB") DataSize frameCloseLimit,
        @DefaultValue("60s") Duration maxClockSkew,
        @DefaultValue("30d") Duration tombstoneRetention,
        @DefaultValue("30s") Duration pingInterval,
        @DefaultValue("60s") Duration presenceTimeout,
        @DefaultValue("20s") Duration presenceHeartbeatInterval,
        @DefaultValue("256KB") DataSize sendBuffer,
        @DefaultValue("5s") Duration sendTimeout,
        @DefaultValue("4") int senderThreads,
        @DefaultValue("100") int rateLimitCapacity,
        @DefaultValue("50") int rateLimitPerSecond,
        @DefaultValue("200") int userRateLimitCapacity,
        @DefaultValue("100") int userRateLimitPerSecond,
        @DefaultValue("20") int readRateLimitCapacity,
        @DefaultValue("5") int readRateLimitPerSecond,
        @DefaultValue("20") int maxConnectionsPerUser,
        @DefaultValue("30") int maxNewDevicesPerHour,
        @DefaultValue("800") int connectRatePerSecond,
        @DefaultValue("256") int maxPendingSnapshots,
        @DefaultValue("100000") int rateLimitBuckets,
        @DefaultValue("10000") int maxPendingWrites,
        @DefaultValue("16KB") DataSize maxBodyBytes,
        @DefaultValue("false") boolean permessageDeflate,
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("http://localhost:8081") List<URI> processorUrl,
        String processorToken,
        @DefaultValue("10s") Duration snapshotTimeout,
        @DefaultValue("2") int snapshotRequests,
        @DefaultValue("30s") Duration snapshotRetryFor,
        @DefaultValue("false") boolean console,
        @DefaultValue("0") int slot,
        @DefaultValue("routed") Delivery delivery,
        SyncTopics topics) {

    /** How this gateway reads the events of its devices (see {@code fanout.DeliveryReader}). */
    public enum Delivery {
        /** Its own partition of the delivery topic: only events of users with a device here. */
        ROUTED,
        /** Every partition of the state and command topics, filtered here. */
        ALL
    }

    public GatewayProperties {
        topics = topics == null ? SyncTopics.defaults() : topics;
        if (presenceHeartbeatInterval.compareTo(pingInterval) >= 0 || pingInterval.compareTo(presenceTimeout) >= 0) {
            throw new IllegalArgumentException("sync.gateway needs presence-heartbeat-interval < ping-interval < "
                    + "presence-timeout, got " + presenceHeartbeatInterval + ", " + pingInterval + ", " + presenceTimeout
                    + ": a device that answers every ping must never look silent");
        }
        if (frameCloseLimit.toBytes() < maxFrameBytes) {
            throw new IllegalArgumentException("sync.gateway.frame-close-limit (" + frameCloseLimit
                    + ") must not be below max-frame-bytes (" + maxFrameBytes + ")");
        }
        if (slot < 0 || slot > Op.MAX_SLOT) {
            throw new IllegalArgumentException("sync.gateway.slot must be 0-" + Op.MAX_SLOT
                    + ", got " + slot);
        }
        if (snapshotRequests < 1) {
            throw new IllegalArgumentException("sync.gateway.snapshot-requests must be at least 1, got " + snapshotRequests);
        }
    }
}
