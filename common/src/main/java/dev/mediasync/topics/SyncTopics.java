package dev.mediasync.topics;

/**
 * The topic names a deployment uses; any name left {@code null} takes its default from {@link Topics}.
 * Services bind it from {@code sync.topics.*}.
 */
public record SyncTopics(String ops, String state, String commands, String deliveries, String deadLetter, String keys) {

    public SyncTopics {
        ops = ops == null ? Topics.OPS : ops;
        state = state == null ? Topics.STATE : state;
        commands = commands == null ? Topics.COMMANDS : commands;
        deliveries = deliveries == null ? Topics.DELIVERIES : deliveries;
        deadLetter = deadLetter == null ? Topics.OPS_DEAD_LETTER : deadLetter;
        keys = keys == null ? Topics.KEYS : keys;
    }

    public static SyncTopics defaults() {
        return new SyncTopics(null, null, null, null, null, null);
    }
}
