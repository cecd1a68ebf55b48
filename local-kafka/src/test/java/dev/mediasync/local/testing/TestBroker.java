package dev.mediasync.local.testing;

/** The broker a {@link TestKafka} test runs against. */
public interface TestBroker {

    String bootstrapServers();

    /** "in-process" or "docker (apache/kafka:…)". */
    String kind();
}
