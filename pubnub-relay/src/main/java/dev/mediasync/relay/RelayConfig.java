package dev.mediasync.relay;

import com.pubnub.api.PubNubException;
import com.pubnub.api.UserId;
import com.pubnub.api.crypto.CryptoModule;
import com.pubnub.api.java.PubNub;
import com.pubnub.api.java.v2.PNConfiguration;
import com.pubnub.api.retry.RetryConfiguration;
import dev.mediasync.error.SyncException;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.topics.PubNubChannels;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import dev.mediasync.topics.KeysTopicPartitioner;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** The relay's moving parts; only created when both PubNub keys are set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${sync.relay.publish-key:}' != '' and '${sync.relay.subscribe-key:}' != ''")
public class RelayConfig {

    private static final Logger log = LoggerFactory.getLogger(RelayConfig.class);

    @Bean(destroyMethod = "destroy")
    public PubNub pubnub(RelayProperties properties) throws PubNubException {
        PNConfiguration.Builder config = PNConfiguration.builder(new UserId(properties.userId()),
                        properties.subscribeKey())
                .publishKey(properties.publishKey())
                .origin(properties.origin())
                .secure(properties.secure())
                .nonSubscribeReadTimeout((int) properties.requestTimeout().toSeconds())
                .connectTimeout((int) properties.requestTimeout().toSeconds())
                // Retries are ours (with a breaker around them), not the SDK's.
                .retryConfiguration(RetryConfiguration.None.INSTANCE);
        if (properties.secretKey() != null && !properties.secretKey().isBlank()) {
            config.secretKey(properties.secretKey()); // signs every request: Access Manager lets it write
        }
        if (properties.encrypted()) {
            config.cryptoModule(CryptoModule.createAesCbcCryptoModule(properties.cipherKey(), true));
        }
        log.info("PubNub relay publishing to user.<user>.sync, .devices, .notifications, {} and region.<code>.updates "
                + "via {} (store: {}, encrypted: {})", PubNubChannels.GLOBAL_ANNOUNCEMENTS, properties.origin(),
                properties.store(), properties.encrypted());
        return PubNub.create(config.build());
    }

    @Bean
    public CircuitBreaker pubnubBreaker(RelayProperties properties, MeterRegistry registry) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(breakerConfig(properties, Clock.systemUTC()));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        return breakers.circuitBreaker("pubnub");
    }

    /** Opens at the configured failure rate over the last 20 publishes (5 at least), for {@code breaker-open-for}. */
    static CircuitBreakerConfig breakerConfig(RelayProperties properties, Clock clock) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.breakerFailureRate())
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(properties.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                // a refused message says nothing about PubNub's health
                .ignoreExceptions(PublishFailure.Permanent.class)
                .clock(clock)
                .build();
    }

    @Bean
    public Retry pubnubRetry(RelayProperties properties, MeterRegistry registry) {
        RetryRegistry retries = RetryRegistry.of(retryConfig(properties));
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        return retries.retry("pubnub");
    }

    /** Transient failures only, {@code retry-attempts} tries, exponential back-off with jitter. */
    static RetryConfig retryConfig(RelayProperties properties) {
        return RetryConfig.custom()
                .maxAttempts(properties.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(properties.retryBackoff(), 2.0, 0.5))
                .retryExceptions(PublishFailure.Transient.class)
                .build();
    }

    @Bean
    public PubNubPublisher pubNubPublisher(PubNub pubnub, RelayProperties properties, Retry pubnubRetry,
                                           CircuitBreaker pubnubBreaker, MeterRegistry registry) {
        return new PubNubPublisher(pubnub, properties, pubnubRetry, pubnubBreaker, registry);
    }

    @Bean
    public RelayListener relayListener(ChannelRouter router, PubNubPublisher publisher) {
        return new RelayListener(router, publisher);
    }

    @Bean
    public PresenceLease presenceLease(ConsumerFactory<String, byte[]> consumers, RelayProperties properties) {
        return new PresenceLease(consumers, properties);
    }

    /** The data keys of sealed presence ops go to their user's partition of the keys topic, as the gateways' do. */
    @Bean
    public DefaultKafkaProducerFactoryCustomizer keysOnTheirUsersPartition(RelayProperties properties) {
        return factory -> factory.updateConfigs(KeysTopicPartitioner.producerSettings(properties.topics().keys()));
    }

    @Bean
    public PubNubPresence pubNubPresence(PubNub pubnub, KafkaTemplate<String, byte[]> kafka,
                                         RelayProperties properties, MessageCodec codec, PresenceLease lease) {
        return new PubNubPresence(pubnub, kafka, properties, codec, lease);
    }

    @Bean
    public KafkaAdmin.NewTopics relayTopics(RelayProperties properties) {
        List<NewTopic> topics = List.of(TopicBuilder.name(properties.announcementsTopic()).partitions(1).build(),
                TopicBuilder.name(properties.deadLetterTopic()).partitions(1).build(),
                TopicBuilder.name(properties.presenceLeaseTopic()).partitions(1).build(),
                // as the trending consumer declares it, whichever starts first
                TopicBuilder.name(properties.trendingTopic()).partitions(1).compact().build());
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /**
     * Record-by-record consumption with the commit after each publish. Transient failures are retried
     * without end (exponential back-off to 30 s): the consumer seeks back and waits instead of dropping.
     * Refused messages and records that cannot be routed go to the dead-letter topic at once.
     */
    @Bean
    public ConcurrentKafkaListenerContainerFactory<String, byte[]> relayContainerFactory(
            ConsumerFactory<String, byte[]> consumers, KafkaTemplate<String, byte[]> template,
            RelayProperties properties, MeterRegistry registry) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setConcurrency(properties.concurrency());
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, error) -> new TopicPartition(properties.deadLetterTopic(), -1));
        Counter deadLettered = Counter.builder("sync.relay.dead_lettered")
                .description("Records PubNub refused for good, sent to the dead-letter topic").register(registry);
        ConsumerRecordRecoverer recoverer = (record, error) -> {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            log.warn("dead-lettering {}-{}@{} (key {}): {}", record.topic(), record.partition(), record.offset(),
                    record.key(), cause.toString());
            deadLettered.increment();
            deadLetters.accept(record, error);
        };
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler errors = new DefaultErrorHandler(recoverer, backOff);
        errors.addNotRetryableExceptions(PublishFailure.Permanent.class, SyncException.class,
                IllegalArgumentException.class);
        factory.setCommonErrorHandler(errors);
        return factory;
    }
}
