package dev.mediasync.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The processor's place in the Kafka floor ({@link WebSocketFloor} with a broker): every record of one topic
 * written again, key and value unchanged, to another, with the processor's client settings (a fetch answered
 * at the first record, sends at {@code linger.ms} 0 with {@code acks=all}) and nothing else: no group, no
 * state, no changelogs. {@code KafkaHop <bootstrap> <from> <to> <partitions> [linger ms]}; prints {@code ready}
 * once it reads from the end of every partition.
 */
public final class KafkaHop {

    public static void main(String[] args) {
        String bootstrap = args[0];
        String from = args[1];
        String to = args[2];
        int partitions = Integer.parseInt(args[3]);
        int linger = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500),
                new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.LINGER_MS_CONFIG, linger,
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> assigned = partitions(from, partitions);
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            assigned.forEach(consumer::position);
            producer.partitionsFor(to); // the metadata before the first record, as a running processor has it
            System.out.println("ready");
            System.out.flush();
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    producer.send(new ProducerRecord<>(to, record.partition(), record.key(), record.value()));
                }
            }
        }
    }

    static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private KafkaHop() {
    }
}
