package dev.mediasync.loadgen.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import dev.mediasync.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/sync-replay against a real broker whose op log lost its oldest ops. */
@TestKafka
class ReplayRunTest {

    @Test
    void refusesAnOpLogThatNoLongerStartsAtOffsetZeroBeforeStartingAnything(TestBroker kafka, @TempDir Path dir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.OPS, 3, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(Topics.OPS, 1, "alice", "{}"));
                }
            }
            // as retention would: partition 1 now starts at offset 4
            admin.deleteRecords(Map.of(new TopicPartition(Topics.OPS, 1), RecordsToDelete.beforeOffset(4)))
                    .all().get();

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream original = System.err;
            int status;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                status = ReplayRun.run(new String[] {"--bootstrap", kafka.bootstrapServers(), "--name", "refused",
                        "--data-dir", dir.resolve("replay").toString()});
            } finally {
                System.setErr(original);
            }

            assertThat(status).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("partitions [1]", "--allow-truncated");
            assertThat(dir.resolve("replay")).doesNotExist(); // no processor was started
            assertThat(admin.listTopics().names().get()).doesNotContain("sync.state.refused.v1");
        }
    }

    @Test
    void aWholeLogIsNotRefused() {
        assertThat(ReplayRun.truncation(Map.of(new TopicPartition(Topics.OPS, 0), 0L,
                new TopicPartition(Topics.OPS, 1), 0L))).isNull();
    }
}
