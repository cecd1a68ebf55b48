package dev.mediasync.loadgen.chaos;

import dev.mediasync.clock.Hlc;
import dev.mediasync.protocol.ClientMessage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One op a device created, stamped by the device's own clock (so a resend is byte for byte the same op),
 * and when it was acked and, for a probe, seen by every sibling device.
 *
 * @param probeSeq the position a probe op writes to the device's own probe title, or -1
 */
record SentOp(String user, String device, ClientMessage message, Hlc timestamp, long createdNanos, int probeSeq,
              Times times) {

    /** What happens to the op after it is created; written by the device's and the workload's threads. */
    static final class Times {
        volatile long ackedNanos = -1;
        volatile long propagatedNanos = -1;
        /** How often the device's client handed the op to a connection. */
        volatile AtomicInteger sendCounter = new AtomicInteger();
        volatile String refusal;

        int sends() {
            return sendCounter.get();
        }
    }

    SentOp(String user, String device, ClientMessage message, Hlc timestamp, int probeSeq) {
        this(user, device, message, timestamp, System.nanoTime(), probeSeq, new Times());
    }

    String opId() {
        return message.opId();
    }

    boolean isProbe() {
        return probeSeq >= 0;
    }

    boolean acked() {
        return times.ackedNanos >= 0;
    }
}
