package dev.mediasync.gateway.e2e;

import static dev.mediasync.gateway.e2e.Device.text;
import static dev.mediasync.gateway.e2e.Device.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.gateway.fanout.DeliveryReader;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three gateways (slots 0, 1, 2) on a real broker: each reads only the deliveries of its own slot, so a
 * gateway reads nothing of users it holds no device of, and a user with devices on two gateways gets
 * each event once on each device.
 */
@TestKafka(partitions = 12)
class RoutedDeliveryIT {

    private static TestBroker kafka;
    private static Platform platform;
    private static int a;
    private static int b;
    private static int c;

    @BeforeAll
    static void start(TestBroker broker) {
        kafka = broker;
        platform = new Platform(broker.bootstrapServers());
        a = platform.startGateway();
        b = platform.startGateway();
        c = platform.startGateway();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static long read(int gateway) {
        return platform.gatewayBean(gateway, DeliveryReader.class).recordsRead();
    }

    private static String progress(String opId, int position) {
        return "{\"type\":\"progress_update\",\"op_id\":\"" + opId + "\",\"content_id\":\"tmdb:550\",\"position_seconds\":"
                + position + ",\"duration_seconds\":8217,\"state\":\"paused\"}";
    }

    private static List<JsonNode> progressStates(Device device) {
        return device.received().stream().filter(m -> type(m, "progress_state") && "tmdb:550".equals(text(m, "content_id")))
                .toList();
    }

    /** Every record in one slot's partition of the delivery topic from {@code from} on. */
    private static List<ConsumerRecord<String, byte[]>> deliveries(int slot, long from) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        TopicPartition partition = new TopicPartition(Topics.DELIVERIES, slot);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static long end(int slot) {
        TopicPartition partition = new TopicPartition(Topics.DELIVERIES, slot);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    @Test
    void aGatewayReadsOnlyTheEventsOfUsersItHoldsAndEachDeviceGetsEachEventOnce() {
        long[] startOf = {end(0), end(1), end(2)};
        long readByB = read(b);
        long readByC = read(c);
        try (Device onlyOnA = Device.connect(a, "only-a", "tv");
             Device onlyOnASibling = Device.connect(a, "only-a", "phone");
             Device splitOnA = Device.connect(a, "split", "tv");
             Device splitOnB = Device.connect(b, "split", "phone")) {
            List.of(onlyOnA, onlyOnASibling, splitOnA, splitOnB).forEach(device ->
                    device.await(m -> type(m, "snapshot")));
            int updates = 20;
            for (int i = 1; i <= updates; i++) {
                onlyOnA.send(progress("a" + i, i));
                splitOnA.send(progress("s" + i, i));
            }
            for (Device device : List.of(onlyOnA, onlyOnASibling, splitOnA, splitOnB)) {
                await().atMost(Device.WAIT).until(() -> progressStates(device).size() >= updates);
            }

            // each event once on each device, whichever gateway holds it
            for (Device device : List.of(onlyOnA, onlyOnASibling, splitOnA, splitOnB)) {
                assertThat(progressStates(device)).extracting(m -> m.get("position_seconds").asInt())
                        .as(device.user + "/" + device.id + " got each update once").containsExactlyInAnyOrderElementsOf(
                                java.util.stream.IntStream.rangeClosed(1, updates).boxed().toList());
            }
            // slot 1 (gateway B) holds only the split user's events, slot 2 (C) nothing; both gateways read exactly those
            List<ConsumerRecord<String, byte[]>> toB = deliveries(1, startOf[1]);
            assertThat(toB).isNotEmpty().allSatisfy(record -> assertThat(record.key()).isEqualTo("split"));
            assertThat(deliveries(0, startOf[0])).extracting(ConsumerRecord::key).contains("only-a", "split");
            assertThat(deliveries(2, startOf[2])).isEmpty();
            await().atMost(Device.WAIT).until(() -> read(b) - readByB == toB.size());
            assertThat(read(c)).as("gateway C read nothing").isEqualTo(readByC);
        }
    }
}
