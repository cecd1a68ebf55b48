package dev.mediasync.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediasync.topics.Topics;
import dev.mediasync.topics.Topics.Kind;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserPartitionerTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bob", "auth0|5f8d0c1e", "user@example.com", "x"})
    void putsStateRecordsOnThePartitionOfTheirUsersOps(String user) {
        for (int partitions : new int[] {1, 3, 12, 64}) {
            int opsPartition = BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), partitions);
            for (Kind kind : Kind.values()) {
                String key = Topics.stateKey(user, kind, "tmdb:550");
                assertThat(new UserPartitioner().partitions("sync.state.v1", key, null, partitions))
                        .hasValueSatisfying(p -> assertThat(p).containsExactly(opsPartition));
            }
        }
    }
}
