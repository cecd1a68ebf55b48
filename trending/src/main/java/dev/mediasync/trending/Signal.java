package dev.mediasync.trending;

import dev.mediasync.topics.Topics.Kind;

/** What a state event says about a title, and the list that counts it. */
enum Signal {
    /** A user put the title on their watchlist. */
    ADDED("most_added"),
    /** A user made progress in the title. */
    WATCHED("most_watched");

    private final String list;

    Signal(String list) {
        this.list = list;
    }

    /** The list's name: the key of its records in {@code sync.trending.v1}. */
    String list() {
        return list;
    }

    static Signal ofList(String list) {
        for (Signal signal : values()) {
            if (signal.list.equals(list)) {
                return signal;
            }
        }
        throw new IllegalArgumentException("no trending list " + list);
    }

    /** The signal an event of this kind of entity may carry; devices and accounts carry none. */
    static Signal of(Kind kind) {
        return switch (kind) {
            case WATCHLIST -> ADDED;
            case PROGRESS -> WATCHED;
            case DEVICE, ACCOUNT -> null;
        };
    }
}
