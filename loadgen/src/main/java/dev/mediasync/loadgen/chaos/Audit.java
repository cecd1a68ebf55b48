package dev.mediasync.loadgen.chaos;

import tools.jackson.databind.JsonNode;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ServerMessage;
import dev.mediasync.protocol.Snapshot;
import dev.mediasync.protocol.WatchlistItem;
import dev.mediasync.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the state the way newcomers do, to hold it against the oracle: a fresh connection's snapshot, the
 * REST lists, and the state topic (where a probe write that its device sent once shows up twice only if
 * the processor applied it twice).
 */
final class Audit implements AutoCloseable {

    private final HttpClient http;
    private final Function<String, String> tokens;
    private final MessageCodec codec = new MessageCodec();
    private final KafkaConsumer<String, byte[]> state;
    private final Map<String, Integer> probeEvents = new HashMap<>();

    Audit(HttpClient http, Function<String, String> tokens, String bootstrap) {
        this.http = http;
        this.tokens = tokens;
        this.state = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = state.partitionsFor(Topics.STATE, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        state.assign(partitions);
        state.seekToBeginning(partitions);
    }

    /** The snapshot a new connection of the user gets from {@code gateway}. */
    Snapshot snapshot(URI gateway, String user) {
        CompletableFuture<Snapshot> snapshot = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws?device_id=audit");
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + tokens.apply(user))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            ServerMessage message = codec.decodeServer(partial.toString());
                            partial.setLength(0);
                            if (message instanceof Snapshot s) {
                                snapshot.complete(s);
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        snapshot.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
                        return null;
                    }
                }).join();
        try {
            return snapshot.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no snapshot for " + user + " from " + gateway + ": " + e, e);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "audit done");
        }
    }

    static ChaosDevice.View view(Snapshot snapshot) {
        TreeSet<String> watchlist = new TreeSet<>();
        snapshot.watchlist().stream().map(WatchlistItem::contentId).forEach(watchlist::add);
        TreeMap<String, String> progress = new TreeMap<>();
        snapshot.progress().forEach(p -> progress.put(p.contentId(), p.opId()));
        return new ChaosDevice.View(watchlist, progress);
    }

    /** What the REST lists say, as a view. */
    ChaosDevice.View rest(URI gateway, String user) {
        TreeSet<String> watchlist = new TreeSet<>();
        get(gateway, user, "/api/v1/sync/watchlist?limit=1000").get("items")
                .forEach(item -> watchlist.add(item.get("content_id").asText()));
        TreeMap<String, String> progress = new TreeMap<>();
        JsonNode lists = get(gateway, user, "/api/v1/sync/progress?limit=1000");
        for (String list : new String[] {"in_progress", "completed"}) {
            lists.get(list).forEach(item -> progress.put(item.get("content_id").asText(), item.get("op_id").asText()));
        }
        return new ChaosDevice.View(watchlist, progress);
    }

    private JsonNode get(URI gateway, String user, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve(path))
                    .header("Authorization", "Bearer " + tokens.apply(user)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " for " + user + ": " + response.statusCode() + " "
                        + response.body());
            }
            return codec.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the state topic on to its end and counts the probe writes that appear more than once although
     * their device sent them once: ops a processor saw again after a kill -9 (at-least-once; the op-id ledger
     * keeps them from being applied twice, but the current state is emitted again, as for any resend).
     */
    int repeatedEvents(Map<String, SentOp> opsById) {
        Map<TopicPartition, Long> end = state.endOffsets(state.assignment());
        int twice = 0;
        while (end.entrySet().stream().anyMatch(e -> state.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> record : state.poll(Duration.ofMillis(500))) {
                if (record.value() == null || !record.key().contains("|progress|" + Workload.PROBE_PREFIX)) {
                    continue;
                }
                if (codec.decodeEvent(record.value()).event() instanceof ProgressState progress) {
                    SentOp op = opsById.get(progress.opId());
                    int seen = probeEvents.merge(progress.opId(), 1, Integer::sum);
                    if (seen > 1 && op != null && op.times().sends() == 1) {
                        twice++;
                    }
                }
            }
        }
        return twice;
    }

    @Override
    public void close() {
        state.close();
    }
}
