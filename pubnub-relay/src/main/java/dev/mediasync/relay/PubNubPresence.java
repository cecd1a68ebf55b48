package dev.mediasync.relay;

import com.pubnub.api.PubNubException;
import com.pubnub.api.java.PubNub;
import com.pubnub.api.models.consumer.presence.PNHereNowChannelData;
import com.pubnub.api.models.consumer.presence.PNHereNowOccupantData;
import dev.mediasync.clock.HybridClock;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.Ids;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.privacy.AesKeyWrapper;
import dev.mediasync.privacy.UserKey;
import dev.mediasync.privacy.UserKeys;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Brings devices that are on PubNub into the device registry, through the op log like every presence:
 * every {@code presence-interval} it asks PubNub who is on each {@code user.{u}.devices} channel (global
 * here_now) and writes a {@code device_presence} op per device, session {@code pubnub}: {@code connect}
 * for one that appeared, {@code heartbeat} for one still there, {@code disconnect} for one that left. A
 * device is known by the PubNub user id its token binds it to, {@code {u}.{device_id}}. Users whose ids
 * are hashed in channel names ({@code ~…}) cannot be named from a channel and are left out. Only the
 * relay that holds the {@link PresenceLease} polls; one that gains it starts from nobody present (its
 * first look writes a {@code connect} per device), and devices that left meanwhile time out in the
 * processor. With a key-encryption key, the ops are sealed with per-user data keys as the gateways' are.
 */
public class PubNubPresence implements SmartLifecycle {

    static final String SESSION = "pubnub";
    private static final Logger log = LoggerFactory.getLogger(PubNubPresence.class);
    private static final Pattern DEVICES_CHANNEL = Pattern.compile("user\\.([A-Za-z0-9_-]{1,64})\\.devices");

    /** A device present on PubNub. */
    record Present(String userId, String deviceId) {
    }

    private final PubNub pubnub;
    private final KafkaTemplate<String, byte[]> kafka;
    private final RelayProperties properties;
    private final MessageCodec codec;
    private final PresenceLease lease;
    private final HybridClock clock = new HybridClock(System::currentTimeMillis, Duration.ofMinutes(1));
    /** {@code null}: presence ops are written unsealed (no key-encryption key) */
    private final UserKeys keys;
    private Set<Present> present = Set.of();
    private ScheduledExecutorService poller;
    private ScheduledFuture<?> ticks;

    public PubNubPresence(PubNub pubnub, KafkaTemplate<String, byte[]> kafka, RelayProperties properties,
                          MessageCodec codec, PresenceLease lease) {
        this.pubnub = pubnub;
        this.lease = lease;
        this.kafka = kafka;
        this.properties = properties;
        this.codec = codec;
        this.keys = properties.kek().isBlank() ? null : new UserKeys(AesKeyWrapper.fromBase64(properties.kek()),
                properties.presenceMaxDevices(), key -> kafka.send(properties.topics().keys(), key.recordKey(),
                        key.wrapped()).thenApply(sent -> sent.getRecordMetadata().offset()));
    }

    /** One look at PubNub: writes what changed and the heartbeats of who stayed. */
    void poll() {
        if (!lease.held()) {
            present = Set.of();
            return;
        }
        Set<Present> now;
        try {
            now = presentNow();
        } catch (PubNubException e) {
            log.warn("PubNub here_now failed ({}); presence unchanged until the next poll", e.getStatusCode());
            return;
        }
        for (Present device : now) {
            write(device, present.contains(device) ? PresenceEvent.HEARTBEAT : PresenceEvent.CONNECT);
        }
        for (Present device : present) {
            if (!now.contains(device)) {
                write(device, PresenceEvent.DISCONNECT);
            }
        }
        present = now;
    }

    private Set<Present> presentNow() throws PubNubException {
        Set<Present> now = new HashSet<>();
        for (PNHereNowChannelData channel : pubnub.hereNow().includeUUIDs(true).sync().getChannels().values()) {
            Matcher match = DEVICES_CHANNEL.matcher(channel.getChannelName());
            if (!match.matches() || channel.getOccupants() == null) {
                continue;
            }
            String user = match.group(1);
            for (PNHereNowOccupantData occupant : channel.getOccupants()) {
                String uuid = occupant.getUuid();
                if (uuid.startsWith(user + ".") && now.size() < properties.presenceMaxDevices()) {
                    try {
                        now.add(new Present(user, Ids.deviceId(uuid.substring(user.length() + 1), "device_id")));
                    } catch (RuntimeException e) {
                        // not a device id: a client that is not one of ours
                    }
                }
            }
        }
        if (now.size() >= properties.presenceMaxDevices()) {
            log.warn("More than {} devices present on PubNub; the rest are not tracked (sync.relay.presence-max-devices)",
                    properties.presenceMaxDevices());
        }
        return now;
    }

    private void write(Present device, PresenceEvent event) {
        Op op = new Op(device.userId(), device.deviceId(), clock.now(), clock.physicalMs(),
                new DevicePresence(event, SESSION));
        byte[] json = codec.encodeOp(op);
        if (keys == null) {
            send(device, json);
            return;
        }
        UserKey key = keys.keyFor(device.userId());
        key.whenDurable(failure -> {
            if (failure != null) {
                log.warn("Could not write a data key for {}: {}", device.userId(), failure.toString());
            } else {
                // on the poller, after this look's other writes: never on the producer's thread that acked the key
                Executor sender = poller == null ? Runnable::run : poller;
                sender.execute(() -> send(device, key.seal(json)));
            }
        });
    }

    private void send(Present device, byte[] value) {
        kafka.send(properties.topics().ops(), device.userId(), value).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("Could not write the PubNub presence of {}/{}: {}", device.userId(), device.deviceId(),
                        failure.toString());
            }
        });
    }

    @Override
    public void start() {
        long every = properties.presenceInterval().toMillis();
        if (every <= 0) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "pubnub-presence"));
        lease.start(this::pollFromNowOn);
    }

    /** A relay that gains the lease looks at once, then every interval: no look is skipped at a hand-over. */
    private synchronized void pollFromNowOn() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        ticks = poller.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                log.warn("PubNub presence poll failed", e);
            }
        }, 0, properties.presenceInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        lease.stop();
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }
}
