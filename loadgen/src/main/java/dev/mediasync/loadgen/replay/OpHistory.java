package dev.mediasync.loadgen.replay;

import dev.mediasync.clock.Hlc;
import dev.mediasync.device.PresenceEvent;
import dev.mediasync.progress.PlaybackPosition;
import dev.mediasync.progress.PlaybackState;
import dev.mediasync.protocol.DevicePresence;
import dev.mediasync.protocol.MessageCodec;
import dev.mediasync.protocol.Op;
import dev.mediasync.protocol.OpBody;
import dev.mediasync.protocol.ProgressRemove;
import dev.mediasync.protocol.ProgressUpdate;
import dev.mediasync.protocol.WatchlistOperation;
import dev.mediasync.protocol.WatchlistUpdate;
import dev.mediasync.topics.Topics;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a history straight into {@code sync.ops.v1}, as gateways would have: users with three devices
 * each that connect, watch (progress updates and removes), edit their watchlists and resend now and then.
 * For measuring a replay ({@code bin/sync-replay}). Options: {@code --kafka 127.0.0.1:9092 --ops 200000
 * --users 2000}.
 */
public final class OpHistory {

    public static void main(String[] args) {
        Map<String, String> options = new java.util.HashMap<>(Map.of("--kafka", "127.0.0.1:9092", "--ops", "200000",
                "--users", "2000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int ops = Integer.parseInt(options.get("--ops"));
        int users = Integer.parseInt(options.get("--users"));
        MessageCodec codec = new MessageCodec();
        Random random = new Random(42);
        long start = System.currentTimeMillis() - ops; // one op per ms, ending now
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("--kafka"), ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < ops; i++) {
                String user = "history-" + random.nextInt(users);
                String device = new String[] {"tv", "phone", "web"}[random.nextInt(3)];
                long at = start + i;
                OpBody body = next(random, i);
                producer.send(new ProducerRecord<>(Topics.OPS, user,
                        codec.encodeOp(new Op(user, device, Hlc.of(at, 0), at, body))));
            }
        }
        System.out.println("op-history: wrote " + ops + " ops of " + users + " users");
    }

    private static OpBody next(Random random, int i) {
        String content = "tmdb:" + random.nextInt(500);
        double pick = random.nextDouble();
        if (pick < 0.05) {
            return new DevicePresence(PresenceEvent.CONNECT, "s" + i);
        } else if (pick < 0.6) {
            return new ProgressUpdate("o" + i, content,
                    new PlaybackPosition(random.nextInt(7_000), 7_200, PlaybackState.PLAYING));
        } else if (pick < 0.65) {
            return new ProgressRemove("o" + i, content);
        } else if (pick < 0.9) {
            return new WatchlistUpdate("o" + i, WatchlistOperation.ADD, content, null);
        } else {
            return new WatchlistUpdate("o" + i, WatchlistOperation.REMOVE, content, null);
        }
    }
}
