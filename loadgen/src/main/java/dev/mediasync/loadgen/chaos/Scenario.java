package dev.mediasync.loadgen.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One fault: what is done to the running stack, and how it is undone. */
record Scenario(String name, Fault fault) {

    interface Fault {
        /** Injects the fault and brings the part back; returns notes for the report. */
        String run(Stack stack, Context context) throws Exception;
    }

    /** What a fault may use besides the stack. */
    record Context(List<ChaosDevice> busyDevices, Function<String, String> tokens, HttpClient http) {
    }

    static final Duration READY = Duration.ofSeconds(120);

    static List<Scenario> all() {
        return List.of(
                new Scenario("broker kill -9", (stack, context) -> {
                    stack.kill("broker-2");
                    Stack.pause(10_000);
                    stack.start("broker-2");
                    stack.awaitReady(List.of("broker-2"), READY);
                    return "broker-2 down 10 s";
                }),
                processorKill("processor kill -9, state kept", "processor-1", false),
                processorKill("processor kill -9, state wiped", "processor-2", true),
                gatewayKill(),
                new Scenario("erase under load, processor kill -9", Scenario::eraseThroughAKill),
                new Scenario("slow devices", Scenario::slowDevices),
                new Scenario("broker outage", Scenario::brokerOutage));
    }

    /** What {@code .ci/run} runs: a processor and a gateway killed under load. */
    static List<Scenario> quick() {
        return List.of(processorKill("processor kill -9, state kept", "processor-1", false), gatewayKill(),
                new Scenario("erase under load, processor kill -9", Scenario::eraseThroughAKill));
    }

    private static Scenario processorKill(String name, String processor, boolean wipe) {
        return new Scenario(name, (stack, context) -> {
            stack.kill(processor);
            if (wipe) {
                stack.wipe(processor);
            }
            Stack.pause(3_000);
            long restarted = System.nanoTime();
            stack.start(processor);
            stack.awaitReady(List.of(processor), READY);
            return processor + " back after 3 s, ready in " + millis(System.nanoTime() - restarted) + " ms";
        });
    }

    private static Scenario gatewayKill() {
        return new Scenario("gateway kill -9", (stack, context) -> {
            stack.kill("gateway-1");
            Stack.pause(3_000);
            stack.start("gateway-1");
            stack.awaitReady(List.of("gateway-1"), READY);
            return "gateway-1 back after 3 s";
        });
    }

    /**
     * A user outside the workload writes 20 titles, is erased by an operator, and a processor is killed -9
     * right after the erase is in the log: once it is back, the user's watchlist is empty on both gateways
     * and a later write of theirs is not kept. The workload's users are checked as after every fault.
     */
    private static String eraseThroughAKill(Stack stack, Context context) throws Exception {
        String victim = "erased-" + System.currentTimeMillis();
        String token = context.tokens().apply(victim);
        URI gateway = stack.gateways().get(0);
        for (int i = 0; i < 20; i++) {
            require(send(context, gateway, token, "POST", "/api/v1/sync/watchlist",
                    "{\"operation\":\"add\",\"content_id\":\"tmdb:erase-" + i + "\"}"), 202);
        }
        awaitTitles(context, stack.gateways(), token, 20, Duration.ofSeconds(30));
        HttpResponse<String> erase = context.http().send(HttpRequest.newBuilder(
                        gateway.resolve("/api/v1/admin/users/" + victim))
                .header("Authorization", "Bearer " + Stack.OPERATOR_TOKEN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        require(erase, 202);
        long killedAt = System.nanoTime();
        stack.kill("processor-1");
        Stack.pause(3_000);
        stack.start("processor-1");
        stack.awaitReady(List.of("processor-1"), READY);
        awaitTitles(context, stack.gateways(), token, 0, Duration.ofSeconds(60));
        long erasedAfter = millis(System.nanoTime() - killedAt);
        require(send(context, gateway, token, "POST", "/api/v1/sync/watchlist",
                "{\"operation\":\"add\",\"content_id\":\"tmdb:after\"}"), 202);
        Stack.pause(2_000);
        awaitTitles(context, stack.gateways(), token, 0, Duration.ofSeconds(1));
        return "20 titles of " + victim + " gone on both gateways " + erasedAfter + " ms after processor-1 was killed "
                + "(right after the erase); a later write not kept";
    }

    private static HttpResponse<String> send(Context context, URI gateway, String token, String method, String path,
                                             String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return context.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void require(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ", not " + status + ": " + response.body());
        }
    }

    /** Waits until every gateway lists {@code count} titles for the token's user; fails after {@code within}. */
    private static void awaitTitles(Context context, List<URI> gateways, String token, int count, Duration within)
            throws Exception {
        long until = System.nanoTime() + within.toNanos();
        String last = "";
        while (true) {
            boolean all = true;
            for (URI gateway : gateways) {
                HttpResponse<String> list = send(context, gateway, token, "GET", "/api/v1/sync/watchlist?limit=1000", null);
                last = list.body();
                all &= list.statusCode() == 200 && countOf(last, "\"content_id\"") == count;
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("not " + count + " titles within " + within + ": " + last);
            }
            Stack.pause(400); // within the user's read rate (5 a second per gateway)
        }
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** Devices that stop reading, on busy users, more of them than a gateway has threads of any kind to spare. */
    private static String slowDevices(Stack stack, Context context) {
        URI gateway = stack.gateways().get(0);
        List<StuckDevice> stuck = new ArrayList<>();
        try {
            for (ChaosDevice busy : context.busyDevices()) {
                stuck.add(new StuckDevice(gateway, "stuck-" + busy.id, context.tokens().apply(busy.user)));
            }
            Stack.pause(20_000);
        } finally {
            stuck.forEach(StuckDevice::close);
        }
        return stuck.size() + " stuck devices on gateway-1 for 20 s";
    }

    /** Every broker killed for 10 s: the gateways must keep answering and refuse writes at once. */
    private static String brokerOutage(Stack stack, Context context) throws Exception {
        Stack.BROKERS.forEach(stack::kill);
        long slowestHealth = 0;
        int failedHealth = 0;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            for (URI gateway : stack.gateways()) {
                long start = System.nanoTime();
                try {
                    HttpResponse<String> response = context.http().send(HttpRequest.newBuilder(gateway.resolve("/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    failedHealth += response.statusCode() == 200 ? 0 : 1;
                } catch (java.io.IOException e) {
                    failedHealth++;
                }
                slowestHealth = Math.max(slowestHealth, System.nanoTime() - start);
            }
            Stack.pause(250);
        }
        Stack.BROKERS.forEach(stack::start);
        stack.awaitReady(Stack.BROKERS, READY);
        return "all brokers down 10 s; gateway /health slowest " + millis(slowestHealth) + " ms, " + failedHealth
                + " failed";
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
