package dev.mediasync.loadgen;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The floor under our propagation figures: the smallest relay that speaks what the load generator needs of
 * a gateway, with no Kafka, no state and no checks. A device's {@code progress_update} is acked to it and
 * sent on as a {@code progress_state} to the user's other devices, from the thread that read it. Same
 * container (Tomcat), same clients, same machine, same run: what our platform adds is the difference.
 * Run in its own JVM by {@link LoadGenerator} ({@code --ws-floor}); {@code WebSocketFloor <port>}.
 *
 * <p>With a broker ({@code WebSocketFloor <port> <bootstrap> <ops topic> <state topic> <partitions> [linger
 * ms]}) it is
 * the Kafka floor: the platform's two hops with nothing of ours on them. An update is written to the ops
 * topic keyed by its user (as the gateway writes, {@code linger.ms} 0, {@code acks=all}) and acked once
 * written; {@link KafkaHop}, in the processor's place, writes it on to the state topic; a reader of every
 * partition of that topic (as the gateway's delivery reader) sends it as a {@code progress_state} to each
 * of the user's devices, the sender included, as the platform does.
 */
public final class WebSocketFloor {

    private static final Map<String, Set<Session>> USERS = new ConcurrentHashMap<>();
    private static final String UPDATE = "{\"type\":\"progress_update\"";
    private static final String STATE = "{\"type\":\"progress_state\"";
    /** The ops topic's writer and the topic, in the Kafka floor; {@code null} without a broker. */
    private static KafkaProducer<String, String> ops;
    private static String opsTopic;

    public static void main(String[] args) throws Exception {
        if (args.length > 1) {
            ops = KafkaHop.producer(args[1], args.length > 5 ? Integer.parseInt(args[5]) : 0);
            opsTopic = args[2];
            ops.partitionsFor(opsTopic);
            KafkaConsumer<String, String> states = KafkaHop.fromEnd(args[1], args[3], Integer.parseInt(args[4]));
            Thread reader = new Thread(() -> deliver(states), "floor-delivery");
            reader.setDaemon(true);
            reader.start();
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ws-floor").toString());
        tomcat.setPort(Integer.parseInt(args[0]));
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(new WsSci(), null);
        context.addApplicationListener(Endpoints.class.getName());
        Tomcat.addServlet(context, "token", new TokenServlet());
        context.addServletMappingDecoded("/api/v1/dev/token", "token");
        Tomcat.addServlet(context, "health", new HealthServlet());
        context.addServletMappingDecoded("/health", "health");
        // the WebSocket upgrade is a filter, and filters run only for a request some servlet is mapped to
        context.addServletMappingDecoded("/", "health");
        tomcat.start();
        tomcat.getServer().await();
    }

    /** Sends every state record to each device of its user. */
    private static void deliver(KafkaConsumer<String, String> states) {
        while (true) {
            for (ConsumerRecord<String, String> record : states.poll(Duration.ofSeconds(1))) {
                String state = STATE + record.value().substring(UPDATE.length());
                for (Session device : USERS.getOrDefault(record.key(), Set.of())) {
                    Relay.send(device, state);
                }
            }
        }
    }

    /** The token is the user's id: nothing is checked. */
    private static final class TokenServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String user = body.replaceAll(".*\"user_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            response.setContentType("application/json");
            response.getWriter().write("{\"token\":\"" + user + "\"}");
        }
    }

    private static final class HealthServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("{\"status\":\"UP\"}");
        }
    }

    /** Registers the relay at {@code /ws} once the WebSocket container exists. */
    public static final class Endpoints implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServerContainer container = (ServerContainer) event.getServletContext()
                    .getAttribute(ServerContainer.class.getName());
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(Relay.class, "/ws")
                        .configurator(new UserFromToken()).build());
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The user from {@code Authorization: Bearer <user>}; permessage-deflate declined, as the gateway does. */
    private static final class UserFromToken extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            List<String> authorization = request.getHeaders().get("Authorization");
            String token = authorization == null || authorization.isEmpty() ? "" : authorization.get(0);
            config.getUserProperties().put("user", token.substring(token.indexOf(' ') + 1));
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return List.of();
        }
    }

    public static final class Relay extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            String user = user(session);
            USERS.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(session);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> relay(user, session, frame));
            send(session, "{\"type\":\"snapshot\"}");
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            USERS.getOrDefault(user(session), Set.of()).remove(session);
        }

        /** Set by {@link UserFromToken} at the handshake (the session's own copy of the properties). */
        private static String user(Session session) {
            return (String) session.getUserProperties().get("user");
        }

        private static void relay(String user, Session from, String frame) {
            if (!frame.startsWith(UPDATE)) {
                return;
            }
            int at = frame.indexOf("\"op_id\":\"") + 9;
            String ack = "{\"type\":\"ack\",\"op_id\":\"" + frame.substring(at, frame.indexOf('"', at)) + "\"}";
            if (ops != null) {
                ops.send(new ProducerRecord<>(opsTopic, user, frame), (written, failed) -> {
                    if (failed == null) {
                        send(from, ack);
                    }
                });
                return;
            }
            send(from, ack);
            String state = STATE + frame.substring(UPDATE.length());
            for (Session sibling : USERS.getOrDefault(user, Set.of())) {
                if (sibling != from) {
                    send(sibling, state);
                }
            }
        }

        /** One frame at a time per session: two readers may write to the same sibling. */
        private static void send(Session session, String frame) {
            synchronized (session) {
                try {
                    session.getBasicRemote().sendText(frame);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The relay running in its JVM, and where it listens. */
    record Running(Process process, URI url) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    /**
     * Starts the relay in a JVM of its own (heap as the gateway's) on a free port and waits until it answers.
     *
     * @param kafka nothing, or the Kafka floor's {@code <bootstrap> <ops topic> <state topic> <partitions> <linger ms>}
     */
    static Running launch(String... kafka) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of(Integer.toString(port)));
        args.addAll(List.of(kafka));
        Process process = OwnJvm.of(List.of("-Xms1g", "-Xmx1g"), WebSocketFloor.class, args.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI url = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!new Platform(url).healthy()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the WebSocket floor did not start on port " + port);
            }
            Thread.sleep(100);
        }
        return new Running(process, url);
    }

    private WebSocketFloor() {
    }
}
