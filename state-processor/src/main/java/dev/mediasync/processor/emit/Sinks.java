package dev.mediasync.processor.emit;

/** The topology's sinks, by name: where the {@link Emitter} forwards what the rules decide. */
public final class Sinks {

    public static final String STATE = "state-sink";
    public static final String COMMANDS = "commands-sink";
    public static final String DELIVERIES = "deliveries-sink";
    public static final String DEAD_LETTER = "dead-letter-sink";
    public static final String OPS = "ops-sink";
    public static final String KEYS = "keys-sink";

    private Sinks() {
    }
}
