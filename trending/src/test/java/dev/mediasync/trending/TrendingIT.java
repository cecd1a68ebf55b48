package dev.mediasync.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mediasync.clock.Hlc;
import dev.mediasync.contract.ContractSchemas;
import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.protocol.WatchlistState;
import dev.mediasync.topics.Topics.Kind;
import dev.mediasync.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The trending consumer as deployed: a real KRaft broker, state events in, lists out, as the contract says. */
@TestKafka(partitions = 4, topics = Topics.STATE)
class TrendingIT {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void readsTheStateTopicAndKeepsTheLatestListsInACompactedTopic(TestBroker broker, @TempDir Path dir)
            throws Exception {
        String brokers = broker.bootstrapServers();
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(), new ByteArraySerializer())) {
            for (String user : List.of("ann", "bob", "cid")) {
                add(producer, user, "tmdb:603", now);
            }
            add(producer, "ann", "tmdb:550", now);
            add(producer, "ann", "tmdb:603", now); // a repeat of ann's add
        }

        try (ConfigurableApplicationContext app = TrendingApplication.application().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + brokers, "--sync.trending.state-dir=" + dir,
                "--sync.trending.publish-interval=200ms", "--sync.trending.streams.[commit.interval.ms]=100");
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "trending-it",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TRENDING));
            Map<String, TrendingList> latest = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ContractSchemas.assertConforms("TrendingRecord", new String(record.value(), StandardCharsets.UTF_8));
                    latest.put(record.key(), TrendingList.fromJson(record.value()));
                }
                assertThat(latest.get("most_added")).isNotNull();
                assertThat(latest.get("most_added").titles()).containsExactly(
                        new TrendingList.Title("tmdb:603", 3), new TrendingList.Title("tmdb:550", 1));
            });

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TRENDING);
                assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            }
        }
    }

    private void add(KafkaProducer<String, byte[]> producer, String user, String content, long at) {
        WatchlistState state = new WatchlistState(content, true, List.of("tv-1/" + at), Hlc.of(at, 0), Hlc.of(at, 0));
        producer.send(new ProducerRecord<>(Topics.STATE, null, at, Topics.stateKey(user, Kind.WATCHLIST, content),
                codec.encodeEvent(UserEvent.toAll(user, state))));
    }
}
