package dev.mediasync.gateway.ws;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import java.time.Instant;
import java.util.List;

/** Devices connected to a registry over recording sockets, snapshot delivered: for tests outside this package. */
public final class ConnectedDevices {

    private ConnectedDevices() {
    }

    /** A socket that records what is sent to it. */
    public interface Device {
        /** The text frames sent so far. */
        List<String> texts();
    }

    public static Device connect(SessionRegistry registry, String user, String device) {
        RecordingSocket socket = new RecordingSocket();
        DeviceSession session = new DeviceSession(new FrameSink.Blocking(socket), new AuthenticatedDevice(user, device),
                Instant.MAX, device, Runnable::run, 100_000, new FrameAssembler(4096, 65536), System::currentTimeMillis);
        session.release(null, -1);
        registry.tryAdd(session, 10);
        return socket::texts;
    }
}
