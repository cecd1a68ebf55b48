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
                new Scenario("slow devices", Scenario::slowDevices),
                new Scenario("broker outage", Scenario::brokerOutage));
    }

    /** What {@code .ci/run} runs: a processor and a gateway killed under load. */
    static List<Scenario> quick() {
        return List.of(processorKill("processor kill -9, state kept", "processor-1", false), gatewayKill());
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
