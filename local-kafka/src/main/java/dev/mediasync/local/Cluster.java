package dev.mediasync.local;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/**
 * The node's place in a KRaft cluster: its id and the controller endpoints of every node
 * ({@code 1@127.0.0.1:19093,2@…}). Every node derives the same cluster id from the voters, so the nodes
 * of one local cluster need nothing else in common.
 *
 * @param nodeId this node's id, one of the voters
 * @param voters {@code id@host:port} of each node's controller listener, comma separated
 */
public record Cluster(int nodeId, String voters) {

    static final Cluster SINGLE = new Cluster(1, null);

    public Cluster {
        if (voters != null && !voters.contains(nodeId + "@")) {
            throw new IllegalArgumentException("--node-id " + nodeId + " is not among --voters " + voters);
        }
    }

    boolean isMultiNode() {
        return voters != null;
    }

    int size() {
        return voters == null ? 1 : voters.split(",").length;
    }

    String clusterId() {
        UUID uuid = UUID.nameUUIDFromBytes(voters.getBytes(StandardCharsets.UTF_8));
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
    }

    void configure(Properties config) {
        config.remove("controller.quorum.bootstrap.servers");
        config.put("node.id", Integer.toString(nodeId));
        config.put("controller.quorum.voters", voters);
        int replicas = Math.min(3, size());
        String minInsync = Integer.toString(Math.max(1, Math.min(2, replicas - 1)));
        for (String key : new String[] {"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
            "share.coordinator.state.topic.replication.factor", "default.replication.factor"}) {
            config.put(key, Integer.toString(replicas));
        }
        for (String key : new String[] {"transaction.state.log.min.isr", "share.coordinator.state.topic.min.isr",
            "min.insync.replicas"}) {
            config.put(key, minInsync);
        }
        // A killed node keeps leading its partitions until the controller fences it: after 9 s by default,
        // during which writes to those partitions wait. Nodes on one machine can be judged faster.
        config.put("broker.session.timeout.ms", "4000");
        config.put("broker.heartbeat.interval.ms", "1000");
    }
}
