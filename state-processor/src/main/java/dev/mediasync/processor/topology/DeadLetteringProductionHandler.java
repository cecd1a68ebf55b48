package dev.mediasync.processor.topology;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.processor.emit.Emitter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the broker refuses a record the processor produced because of the record itself (too large), the
 * refused record goes to the dead-letter topic with {@code limit_exceeded}, the topic it was meant for
 * and, when known, the op that caused it ({@code sync.source}); processing goes on. With the default
 * handler the stream thread would die, and die again on the same op after every restart. Any other
 * failure is left to Kafka Streams (fail, or retry what is retriable).
 */
public final class DeadLetteringProductionHandler implements ProductionExceptionHandler {

    /** Header naming the topic a dead-lettered result was meant for. */
    public static final String HEADER_REFUSED_TOPIC = "sync.refused.topic";
    /** The dead-letter topic, passed through the Streams configuration. */
    public static final String DEAD_LETTER_TOPIC_CONFIG = "sync.dead.letter.topic";

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringProductionHandler.class);

    private String topic;
    private final Map<String, Object> producerConfig = new HashMap<>();
    /** Made on first use: most processes never need it. */
    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        topic = String.valueOf(configs.get(DEAD_LETTER_TOPIC_CONFIG));
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, configs.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-dead-letters");
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                     Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return ProductionExceptionHandlerResponse.FAIL;
        }
        String source = context.topic() == null ? null
                : context.topic() + "-" + context.partition() + "@" + context.offset();
        log.warn("Dead-lettering a result for {} (from {}): {}", record.topic(), source == null ? "a punctuation"
                : source, exception.getMessage());
        RecordHeaders headers = new RecordHeaders();
        headers.add(Emitter.HEADER_ERROR_CODE, ErrorCode.LIMIT_EXCEEDED.wire().getBytes(StandardCharsets.UTF_8));
        headers.add(Emitter.HEADER_ERROR_MESSAGE, exception.getMessage().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_REFUSED_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        if (source != null) {
            headers.add(Emitter.HEADER_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        }
        producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers));
        return ProductionExceptionHandlerResponse.CONTINUE;
    }
}
