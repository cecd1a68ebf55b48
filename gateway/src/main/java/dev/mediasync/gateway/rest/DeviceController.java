package dev.mediasync.gateway.rest;

import dev.mediasync.device.CommandType;
import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.snapshot.SnapshotClient;
import dev.mediasync.protocol.Ack;
import dev.mediasync.protocol.ClientRequest;
import dev.mediasync.protocol.DeviceCommand;
import dev.mediasync.protocol.DeviceCommandRequest;
import dev.mediasync.protocol.DeviceHandoff;
import dev.mediasync.protocol.DeviceRemove;
import dev.mediasync.protocol.DeviceState;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.MessageCodec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The user's devices, remote commands and handoff over REST. A command's target is checked against the
 * current device list first, so a REST caller (which holds no connection to receive a refusal) gets
 * {@code unknown_device} or {@code device_offline} as the answer; the processor checks again.
 */
@RestController
@RequestMapping(path = "/api/v1/devices", produces = MediaType.APPLICATION_JSON_VALUE)
public class DeviceController {

    private final RestOps ops;
    private final SnapshotClient snapshots;
    private final MessageCodec codec;

    public DeviceController(RestOps ops, SnapshotClient snapshots, MessageCodec codec) {
        this.ops = ops;
        this.snapshots = snapshots;
        this.codec = codec;
    }

    @GetMapping
    public JsonNode devices(AuthenticatedDevice caller, @RequestParam(required = false) String cursor,
                            @RequestParam(required = false) Integer limit) {
        Page page = Page.of(cursor, limit);
        ObjectNode snapshot = (ObjectNode) codec.parse(snapshots.json(caller.userId()));
        ObjectNode answer = snapshot.objectNode();
        page.write(answer, "devices", snapshot.get("devices"), "device_id");
        return answer;
    }

    /** Forgets an offline device ({@code device_remove}); an online one is refused with {@code forbidden}. */
    @DeleteMapping("/{deviceId}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, String>> remove(AuthenticatedDevice caller, @PathVariable String deviceId) {
        ClientRequest request = ops.decode(DeviceRemove.TYPE, null, "target_device_id",
                Ids.deviceId(deviceId, "device_id"));
        DeviceState device = requireKnown(caller, deviceId);
        if (device.online()) {
            throw new SyncException(ErrorCode.FORBIDDEN, "device " + deviceId
                    + " is online; a device can be forgotten once it is offline");
        }
        return ops.submit(caller, request).thenApply(SyncController::accepted);
    }

    @PostMapping(path = "/handoff", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, String>> handoff(AuthenticatedDevice caller,
                                                         @RequestBody(required = false) String body) {
        ClientRequest request = ops.decode(DeviceHandoff.TYPE, body);
        requireReachable(caller, ((DeviceHandoff) request.message()).targetDeviceId(), CommandType.PLAY);
        return ops.submit(caller, request).thenApply(ack -> commandAccepted(caller, ack));
    }

    @PostMapping(path = "/{deviceId}/commands", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CompletableFuture<Map<String, String>> command(AuthenticatedDevice caller, @PathVariable String deviceId,
                                                         @RequestBody(required = false) String body) {
        ClientRequest request = ops.decode(DeviceCommandRequest.TYPE, body, "target_device_id",
                Ids.deviceId(deviceId, "device_id"));
        requireReachable(caller, deviceId, ((DeviceCommandRequest) request.message()).command());
        return ops.submit(caller, request).thenApply(ack -> commandAccepted(caller, ack));
    }

    private DeviceState requireKnown(AuthenticatedDevice caller, String target) {
        return snapshots.snapshot(caller.userId()).devices().stream()
                .filter(d -> d.deviceId().equals(target)).findFirst()
                .orElseThrow(() -> new SyncException(ErrorCode.UNKNOWN_DEVICE,
                        "target_device_id " + target + " is not a device of this user"));
    }

    /** The checks the processor makes, made first: a REST caller holds no connection a refusal could reach later. */
    private void requireReachable(AuthenticatedDevice caller, String target, CommandType command) {
        DeviceState device = requireKnown(caller, target);
        if (!device.online()) {
            throw new SyncException(ErrorCode.DEVICE_OFFLINE, "target_device_id " + target + " is offline");
        }
        command.requireSupportedBy(target, device.capabilities());
    }

    private static Map<String, String> commandAccepted(AuthenticatedDevice caller, Ack ack) {
        return Map.of("command_id", DeviceCommand.commandId(caller.deviceId(), ack.opId()),
                "op_id", ack.opId(), "timestamp", ack.timestamp().toString());
    }
}
