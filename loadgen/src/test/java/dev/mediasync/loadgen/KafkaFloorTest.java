package dev.mediasync.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The Kafka floor of bin/sync-bench on a real broker: an update goes through both topics before its
 * devices see it, and is acked only once the broker has it.
 */
@TestKafka
class KafkaFloorTest {

    @Test
    void anUpdateIsAckedAndReachesEveryDeviceOfItsUserThroughBothTopics(TestBroker kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("floor.ops", 2, (short) 1), new NewTopic("floor.state", 2,
                    (short) 1))).all().get();
            int port = freePort();
            daemon(() -> KafkaHop.main(new String[] {bootstrap, "floor.ops", "floor.state", "2"}));
            daemon(() -> {
                try {
                    WebSocketFloor.main(new String[] {Integer.toString(port), bootstrap, "floor.ops", "floor.state",
                            "2"});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Platform floor = new Platform(URI.create("http://127.0.0.1:" + port));
            await().atMost(Duration.ofSeconds(30)).until(floor::healthy);

            HttpClient http = HttpClient.newHttpClient();
            List<String> tv = new CopyOnWriteArrayList<>();
            List<String> phone = new CopyOnWriteArrayList<>();
            WebSocket sender = open(http, port, "alice", tv);
            open(http, port, "alice", phone);
            List<String> other = new CopyOnWriteArrayList<>();
            open(http, port, "bob", other);

            // resent until one arrives: the hop reads from the end, and may not be reading yet
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                sender.sendText("{\"type\":\"progress_update\",\"op_id\":\"a" + System.nanoTime()
                        + "\",\"content_id\":\"tmdb:550\",\"position_seconds\":10,\"duration_seconds\":100}", true)
                        .join();
                assertThat(phone).anyMatch(frame -> frame.startsWith("{\"type\":\"progress_state\""));
            });
            assertThat(tv).anyMatch(frame -> frame.startsWith("{\"type\":\"ack\""))
                    .anyMatch(frame -> frame.startsWith("{\"type\":\"progress_state\""));
            assertThat(phone.get(phone.size() - 1)).contains("\"position_seconds\":10");
            assertThat(other).noneMatch(frame -> frame.contains("progress_state"));
            for (String topic : List.of("floor.ops", "floor.state")) {
                assertThat(admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                        new TopicPartition(topic, 1), OffsetSpec.latest())).all().get().values().stream()
                        .mapToLong(ListOffsetsResultInfo::offset).sum()).as(topic).isPositive();
            }
        }
    }

    private static WebSocket open(HttpClient http, int port, String user, List<String> frames) {
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + user)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        socket.request(1);
                        return null;
                    }
                }).join();
    }

    private static void daemon(Runnable main) {
        Thread thread = new Thread(main, "kafka-floor-test");
        thread.setDaemon(true);
        thread.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
