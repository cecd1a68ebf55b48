package dev.mediasync.relay;

import com.google.gson.JsonParser;
import com.pubnub.api.PubNubException;
import com.pubnub.api.java.PubNub;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes with the PubNub SDK, retrying transient failures (HTTP 5xx, 429, timeouts, no connection)
 * with exponential back-off and jitter, behind a circuit breaker that stops calling PubNub while it is
 * down. A message PubNub refuses (4xx other than 408 and 429, or over the size limit) fails at once as
 * {@link PublishFailure.Permanent}.
 */
public class PubNubPublisher {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PubNubPublisher.class);

    private final PubNub pubnub;
    private final RelayProperties properties;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Counter published;
    private final Timer latency;

    public PubNubPublisher(PubNub pubnub, RelayProperties properties, Retry retry, CircuitBreaker breaker,
                           MeterRegistry registry) {
        this.pubnub = pubnub;
        this.properties = properties;
        this.retry = retry;
        this.breaker = breaker;
        this.published = Counter.builder("sync.relay.published").description("Messages PubNub accepted")
                .register(registry);
        this.latency = Timer.builder("sync.relay.publish.latency").description("One publish, retries included")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void publish(Publication publication) {
        int size = publication.json().getBytes(StandardCharsets.UTF_8).length;
        if (size > properties.maxMessageSize().toBytes()) {
            throw new PublishFailure.Permanent("message of " + size + " bytes exceeds PubNub's "
                    + properties.maxMessageSize().toBytes() + "-byte limit", null);
        }
        latency.record(() -> guarded(() -> send(publication)));
        published.increment();
    }

    /** A call to PubNub, retried and behind the circuit breaker, as every call of the relay is. */
    private void guarded(Supplier<Long> call) {
        try {
            Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call)).get();
        } catch (CallNotPermittedException e) {
            throw new PublishFailure.Transient("circuit breaker open: PubNub is failing", e);
        }
    }

    /**
     * Deletes the stored history of each channel (an erased user's): PubNub allows it to a client with the
     * secret key, on a keyset with delete-from-history enabled. Without a secret key there is nothing this
     * relay may delete: it says so and goes on.
     */
    public void deleteHistory(List<String> channels) {
        if (properties.secretKey() == null || properties.secretKey().isBlank()) {
            log.warn("Cannot delete the PubNub history of {} without PUBNUB_SECRET_KEY: delete it in the admin portal",
                    channels);
            return;
        }
        for (String channel : channels) {
            guarded(() -> delete(channel));
        }
    }

    private long delete(String channel) {
        try {
            pubnub.deleteMessages().channels(List.of(channel)).sync();
            return 0;
        } catch (PubNubException e) {
            throw failure(e);
        }
    }

    private long send(Publication publication) {
        try {
            return pubnub.publish(JsonParser.parseString(publication.json()), publication.channel())
                    .shouldStore(properties.store())
                    // the JSON in the body, not the URL: no URL length limit short of PubNub's 32 KiB
                    .usePOST(true)
                    .sync()
                    .getTimetoken();
        } catch (PubNubException e) {
            throw failure(e);
        }
    }

    private static PublishFailure failure(PubNubException e) {
        int status = e.getStatusCode();
        String reason = "PubNub answered " + (status == 0 ? "nothing" : status) + ": " + e.getErrorMessage();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new PublishFailure.Permanent(reason, e);
        }
        return new PublishFailure.Transient(reason, e);
    }
}
