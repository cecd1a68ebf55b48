package dev.mediasync.processor.query;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.processor.ProcessorProperties;
import dev.mediasync.processor.store.EntityStore;
import dev.mediasync.processor.streams.StreamsRunner;
import dev.mediasync.protocol.ErrorMessage;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.topics.QueryApi;
import dev.mediasync.topics.QueryApiClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
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

    /** A forwarded read waits this long for the owner (the gateway's own read waits longer). */
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    /** A snapshot as JSON bytes (a {@code snapshot} server message) and its version. */
    public record Answer(byte[] json, long version) {
    }

    private final StreamsRunner runner;
    private final HostInfo self;
    private final QueryApiClient owners;
    private final MessageCodec codec = new MessageCodec();
    private final SnapshotAssembler assembler = new SnapshotAssembler(codec);

    public SnapshotQuery(StreamsRunner runner, ProcessorProperties properties) {
        this.runner = runner;
        this.self = HostInfo.buildFromEndpoint(properties.advertisedUrl());
        this.owners = new QueryApiClient(properties.queryToken(), FORWARD_TIMEOUT);
    }

    /**
     * @param forwarded the request already came from another instance: answer locally or fail
     * @return the snapshot as a {@code snapshot} server message (JSON bytes) and its version
     * @throws SyncException what {@link #snapshots} would answer in its error line
     */
    public Answer snapshot(String userId, boolean forwarded) {
        Answer answer = snapshots(List.of(userId), forwarded).get(0);
        if (answer.version() == QueryApi.NOT_A_SNAPSHOT) {
            throw ((ErrorMessage) codec.decodeServer(answer.json())).toException();
        }
        return answer;
    }

    /**
     * The snapshots of several users, in the order asked. A user whose partition cannot be read now gets an
     * {@code error} message (version {@link QueryApi#NOT_A_SNAPSHOT}) in its place; nobody else's answer fails
     * with it. Users owned by another instance are forwarded to it, one request per instance.
     */
    public List<Answer> snapshots(List<String> userIds, boolean forwarded) {
        KafkaStreams streams = runner.streams();
        Answer[] answers = new Answer[userIds.size()];
        Map<HostInfo, List<Integer>> elsewhere = new LinkedHashMap<>();
        for (int i = 0; i < answers.length; i++) {
            try {
                String userId = Ids.userId(userIds.get(i), "user_id");
                KeyQueryMetadata owner = owner(streams, userId);
                if (owner.activeHost().equals(self)) {
                    answers[i] = readLocal(streams, owner, userId);
                } else if (forwarded) {
                    throw unavailable("partition ownership is moving; retry");
                } else {
                    elsewhere.computeIfAbsent(owner.activeHost(), host -> new ArrayList<>()).add(i);
                }
            } catch (SyncException e) {
                answers[i] = refusal(e);
            }
        }
        elsewhere.forEach((host, indexes) -> {
            List<Answer> forwardedAnswers;
            try {
                forwardedAnswers = forward(host, indexes.stream().map(userIds::get).toList());
            } catch (SyncException e) {
                forwardedAnswers = Collections.nCopies(indexes.size(), refusal(e));
            }
            for (int j = 0; j < indexes.size(); j++) {
                answers[indexes.get(j)] = forwardedAnswers.get(j);
            }
        });
        return List.of(answers);
    }

    private static KeyQueryMetadata owner(KafkaStreams streams, String userId) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(EntityStore.NAME, userId, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw unavailable("no instance owns this user's partition right now (rebalancing)");
        }
        return owner;
    }

    private Answer readLocal(KafkaStreams streams, KeyQueryMetadata owner, String userId) {
        long version = runner.versions().current(owner.partition()); // before the store: see PartitionVersions
        try {
            return new Answer(codec.encodeBytes(assembler.read(localStore(streams, owner.partition()), userId,
                    version)), version);
        } catch (InvalidStateStoreException e) {
            // the partition is moving or restoring: a retryable answer, not a server error
            throw unavailable("the store is not ready: " + e.getMessage());
        }
    }

    private Answer refusal(SyncException e) {
        return new Answer(codec.encodeBytes(ErrorMessage.of(null, e)), QueryApi.NOT_A_SNAPSHOT);
    }

    private static ReadOnlyKeyValueStore<String, byte[]> localStore(KafkaStreams streams, int partition) {
        return streams.store(StoreQueryParameters
                .fromNameAndType(EntityStore.NAME, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }

    private List<Answer> forward(HostInfo host, List<String> userIds) {
        QueryApi.BatchAnswer answer;
        try {
            answer = owners.snapshots(URI.create("http://" + host.host() + ":" + host.port()), userIds, true).join();
        } catch (CompletionException e) {
            throw QueryApiClient.failure(e);
        }
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < userIds.size(); i++) {
            answers.add(new Answer(answer.lines().get(i).getBytes(StandardCharsets.UTF_8), answer.versions()[i]));
        }
        return answers;
    }

    private static SyncException unavailable(String message) {
        return new SyncException(ErrorCode.UNAVAILABLE, message);
    }
}
