package dev.mediasync.local.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Kafka broker for the test class, shared by its tests: {@code apache/kafka} in a container
 * (Testcontainers) when {@code -Dsync.kafka=docker} ({@code -Pdocker}) or when Docker is there, else an
 * in-process KRaft node ({@code LocalKafka}, Kafka's own server code). The choice is printed. Inject it
 * as a {@link TestBroker} parameter (also into {@code @BeforeAll} methods).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestKafkaExtension.class)
public @interface TestKafka {

    /** Partitions of the topics below and of topics created without a count. */
    int partitions() default 1;

    /** Topics created before the tests run. */
    String[] topics() default {};

    /** Further broker settings, {@code name=value} (e.g. {@code log.cleaner.backoff.ms=500}). */
    String[] broker() default {};
}
