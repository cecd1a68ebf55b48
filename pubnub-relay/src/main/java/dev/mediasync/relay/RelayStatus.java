package dev.mediasync.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says once, at start-up, when the relay is off and why. */
@Component
public class RelayStatus {

    private static final Logger log = LoggerFactory.getLogger(RelayStatus.class);

    private final RelayProperties properties;

    public RelayStatus(RelayProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void report() {
        if (!properties.enabled()) {
            log.info("PubNub relay disabled: set PUBNUB_PUBLISH_KEY and PUBNUB_SUBSCRIBE_KEY to publish to PubNub");
        }
    }
}
