package dev.mediasync.processor.topology;

import dev.mediasync.error.ErrorCode;
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
 * When the broker refuses a record the processor produced because of the record itself (too large),
 * the op that caused it is dead-lettered with {@code limit_exceeded} and processing goes on; with the
 * default handler the stream thread would die, and die again on the same op after every restart. Any
 * other failure is left to Kafka Streams (fail, or retry what is retriable).
 */
public final class DeadLetteringProductionHandler implements ProductionExceptionHandler {

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
        String source = context.topic() + "-" + context.partition() + "@" + context.offset();
        log.warn("Dead-lettering the op at {}: its result for {} was refused ({})", source, record.topic(),
                exception.getMessage());
        RecordHeaders headers = new RecordHeaders();
        headers.add(Emitter.HEADER_ERROR_CODE, ErrorCode.LIMIT_EXCEEDED.wire().getBytes(StandardCharsets.UTF_8));
        headers.add(Emitter.HEADER_ERROR_MESSAGE, ("the result for " + record.topic() + " was refused: "
                + exception.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add(Emitter.HEADER_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        }
        producer.send(new ProducerRecord<>(topic, null, context.sourceRawKey(), context.sourceRawValue(), headers));
        return ProductionExceptionHandlerResponse.CONTINUE;
    }
}
