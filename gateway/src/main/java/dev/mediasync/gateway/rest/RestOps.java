package dev.mediasync.gateway.rest;

import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.ops.OpSubmitter;
import dev.mediasync.gateway.ops.RateLimiter;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.MessageCodec;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a REST body into the client message of its endpoint (the {@code type} is the endpoint's; an
 * {@code op_id} is generated when the body has none) and writes it, returning once it is durable.
 */
@Component
public class RestOps {

    private final MessageCodec codec;
    private final OpSubmitter ops;
    private final RateLimiter rateLimiter;

    public RestOps(MessageCodec codec, OpSubmitter ops, RateLimiter rateLimiter) {
        this.codec = codec;
        this.ops = ops;
        this.rateLimiter = rateLimiter;
    }

    /** Parses the body as a message of {@code type}, with {@code extra} fields set by the endpoint. */
    public ClientRequest decode(String type, String body, String... extra) {
        JsonNode node = codec.parse(body == null || body.isBlank() ? "{}" : body);
        if (!(node instanceof ObjectNode object)) {
            throw SyncException.badRequest("the body must be a JSON object");
        }
        object.put("type", type);
        if (!object.has("op_id")) {
            object.put("op_id", UUID.randomUUID().toString());
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            object.put(extra[i], extra[i + 1]);
        }
        return codec.decodeClient(object);
    }

    /**
     * Writes the op; the answer goes out once Kafka has it, and the request thread is free meanwhile (Spring
     * MVC completes the response from the future, so a slow or absent log holds no Tomcat thread).
     */
    public CompletableFuture<Ack> submit(AuthenticatedDevice caller, ClientRequest request) {
        rateLimiter.acquireWrite(caller);
        return ops.submit(caller, request);
    }
}
