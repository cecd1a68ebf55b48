package dev.mediasync.relay;

import dev.mediasync.topics.PubNubChannels;
import dev.mediasync.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes state, commands, announcements and trending lists and publishes each record before its offset is committed
 * (ack mode RECORD): a relay that dies re-publishes at most the records it had not finished. Partitions
 * are split across the consumer threads, so one user's events are published in the order consumed.
 */
public class RelayListener {

    private final ChannelRouter router;
    private final PubNubPublisher publisher;

    public RelayListener(ChannelRouter router, PubNubPublisher publisher) {
        this.router = router;
        this.publisher = publisher;
    }

    @KafkaListener(id = "pubnub-relay", containerFactory = "relayContainerFactory",
            topics = {"${sync.relay.topics.state:" + Topics.STATE + "}",
                "${sync.relay.topics.commands:" + Topics.COMMANDS + "}",
                "${sync.relay.announcements-topic:sync.announcements.v1}",
                "${sync.relay.trending-topic:" + Topics.TRENDING + "}"})
    public void relay(ConsumerRecord<String, byte[]> record) {
        Publication publication = router.route(record.topic(), record.key(), record.value(), record.headers());
        if (publication != null) {
            publisher.publish(publication);
            if (publication.erasedUser() != null) {
                publisher.deleteHistory(PubNubChannels.ofUser(publication.erasedUser()));
            }
        }
    }
}
