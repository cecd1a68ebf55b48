package dev.mediasync.loadgen;

import dev.mediasync.http.BlockingHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the load generator needs of the platform: dev tokens, and the gateway's memory. */
final class Platform {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.eE+]+)");

    private final URI base;

    Platform(URI base) {
        this.base = base;
    }

    URI webSocket(String host, String deviceId) {
        return URI.create("ws://" + host + ":" + base.getPort() + "/ws?device_id=" + deviceId);
    }

    /** A dev token for the user, valid for any of its devices. */
    /** One dev token per user {@code <prefix>0…}, enough for {@code devices} devices of {@code devicesPerUser}. */
    List<String> tokens(String prefix, int devices, int devicesPerUser) {
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u * devicesPerUser < devices; u++) {
            tokens.add(token(prefix + u));
        }
        return tokens;
    }

    String token(String user) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/dev/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\"}")).build());
        Matcher matcher = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !matcher.find()) {
            throw new IllegalStateException("no dev token from " + base + " (" + response.statusCode()
                    + "): start the gateway with sync.security.dev-tokens=true, as bin/sync-local does");
        }
        return matcher.group(1);
    }

    boolean healthy() {
        try {
            return send(HttpRequest.newBuilder(base.resolve("/health")).build()).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Heap in use by the gateway, bytes, from its actuator. */
    long gatewayHeapUsed() {
        return (long) metric("jvm.memory.used?tag=area:heap");
    }

    /** The first value of one of the gateway's metrics ({@code /actuator/metrics/<name>}), or -1. */
    double metric(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/actuator/metrics/" + name)).build());
        Matcher matcher = VALUE.matcher(response.body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    /** Resident set size of a local process, bytes, or -1 when unknown. */
    static long rss(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Asks the gateway JVM for a full GC, so that heap readings show live data only. */
    static void gc(long pid) {
        if (pid <= 0) {
            return;
        }
        try {
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // jcmd missing: readings include garbage
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return BlockingHttp.send(request);
    }
}
