package dev.mediasync.bench;

import dev.mediasync.clock.Hlc;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.ProgressState;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.UserEvent;
import dev.mediasync.progress.LwwRegister;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;

/** Typical messages: a UUID op id, a TMDB content id, a real-looking user and device. */
final class Samples {

    static final String USER = "user-4f1c2a";
    static final String DEVICE = "living-room-tv";
    static final String OP_ID = "7f3e2a1c-5b9d-4e8f-a6c2-1d0b9e8f7a6c";
    static final Hlc NOW = Hlc.of(1_764_197_000_123L, 0);
    static final long RECEIVED_AT = 1_764_197_000_125L;

    static final String PROGRESS_FRAME = "{\"type\":\"progress_update\",\"op_id\":\"" + OP_ID + "\","
            + "\"content_id\":\"tmdb:550\",\"position_seconds\":3245,\"duration_seconds\":8217,\"state\":\"paused\"}";

    static final Op PROGRESS_OP = new Op(USER, DEVICE, NOW, RECEIVED_AT, new ProgressUpdate(OP_ID, "tmdb:550",
            new PlaybackPosition(3245, 8217, PlaybackState.PAUSED)));

    static final UserEvent PROGRESS_STATE = UserEvent.toAll(USER, ProgressState.of("tmdb:550",
            new LwwRegister<>(new PlaybackPosition(3245, 8217, PlaybackState.PAUSED), NOW, DEVICE, OP_ID)));

    private Samples() {
    }
}
