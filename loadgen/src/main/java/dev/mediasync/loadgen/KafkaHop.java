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
        try (KafkaConsumer<String, String> consumer = fromEnd(bootstrap, from, partitions);
             KafkaProducer<String, String> producer = producer(bootstrap, linger)) {
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

    /** A writer as the gateway's and the processor's: each record sent after {@code linger} ms, {@code acks=all}. */
    static KafkaProducer<String, String> producer(String bootstrap, int linger) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, linger, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * A reader of every partition of {@code topic}, positioned at their ends, with no group: a fetch is
     * answered at the first record (an idle one waits 500 ms, as the platform's readers).
     */
    static KafkaConsumer<String, String> fromEnd(String bootstrap, String topic, int partitions) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p))
                .toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        return consumer;
    }

    private KafkaHop() {
    }
}
