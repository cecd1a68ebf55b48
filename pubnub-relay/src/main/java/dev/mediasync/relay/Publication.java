package dev.mediasync.relay;

/** One PubNub message to send: the channel and the JSON payload. */
public record Publication(String channel, String json, String erasedUser) {

    public Publication(String channel, String json) {
        this(channel, json, null);
    }
}
