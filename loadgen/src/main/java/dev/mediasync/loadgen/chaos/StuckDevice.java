package dev.mediasync.loadgen.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A device whose app hangs: it completes the WebSocket upgrade and then never reads again, with a tiny
 * receive window, so the gateway's sends to it back up. The gateway must close it without holding up
 * anyone else.
 */
final class StuckDevice implements AutoCloseable {

    private final Socket socket = new Socket();

    StuckDevice(URI gateway, String deviceId, String token) {
        try {
            socket.setReceiveBufferSize(1024);
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 5_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String upgrade = "GET /ws?device_id=" + deviceId + " HTTP/1.1\r\n"
                    + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n";
            socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
            String status = readStatusLine(socket.getInputStream());
            if (!status.contains(" 101 ")) {
                throw new IllegalStateException("upgrade of " + deviceId + " refused: " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readStatusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
