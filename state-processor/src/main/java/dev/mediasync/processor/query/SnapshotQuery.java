package dev.mediasync.processor.query;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.streams.StreamsRunner;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.topics.QueryApi;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Service;

/**
 * Answers a user's snapshot from the instance that owns the user's partition: read locally when that
 * is this instance, otherwise forwarded once to the owner's query API.
 */
@Service
public class SnapshotQuery {


    /** A snapshot as JSON bytes (a {@code snapshot} server message) and its version. */
    public record Answer(byte[] json, long version) {
    }

    private final StreamsRunner runner;
    private final HostInfo self;
    private final String token;
    private final MessageCodec codec = new MessageCodec();
    private final SnapshotAssembler assembler = new SnapshotAssembler(codec);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public SnapshotQuery(StreamsRunner runner, ProcessorProperties properties) {
        this.runner = runner;
        this.self = HostInfo.buildFromEndpoint(properties.advertisedUrl());
        this.token = properties.queryToken();
    }

    /**
     * @param forwarded the request already came from another instance: answer locally or fail
     * @return the snapshot as a {@code snapshot} server message (JSON bytes) and its version
     */
    public Answer snapshot(String userId, boolean forwarded) {
        KafkaStreams streams = runner.streams();
        KeyQueryMetadata owner = streams.queryMetadataForKey(EntityStore.NAME, userId, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw unavailable("no instance owns this user's partition right now (rebalancing)");
        }
        if (owner.activeHost().equals(self)) {
            long version = runner.versions().current(owner.partition()); // before the store: see PartitionVersions
            try {
                return new Answer(codec.encodeBytes(assembler.read(localStore(streams, owner.partition()), userId,
                        version)), version);
            } catch (InvalidStateStoreException e) {
                // the partition is moving or restoring: a retryable answer, not a server error
                throw unavailable("the store is not ready: " + e.getMessage());
            }
        }
        if (forwarded) {
            throw unavailable("partition ownership is moving; retry");
        }
        return forward(owner.activeHost(), userId);
    }

    private static ReadOnlyKeyValueStore<String, byte[]> localStore(KafkaStreams streams, int partition) {
        return streams.store(StoreQueryParameters
                .fromNameAndType(EntityStore.NAME, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }

    private Answer forward(HostInfo host, String userId) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + QueryApi.SNAPSHOT_PATH + "?forwarded=true&user_id="
                + URLEncoder.encode(userId, StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header(QueryApi.TOKEN_HEADER, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw unavailable("the owning instance " + host + " answered " + response.statusCode());
            }
            return new Answer(response.body(), response.headers().firstValueAsLong(QueryApi.VERSION_HEADER).orElse(-1));
        } catch (IOException e) {
            throw unavailable("the owning instance " + host + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    private static SyncException unavailable(String message) {
        return new SyncException(ErrorCode.UNAVAILABLE, message);
    }
}
