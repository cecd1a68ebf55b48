package dev.mediasync.gateway.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.support.FakeQueryApi;
import dev.mediasync.gateway.support.Properties;
import dev.mediasync.protocol.MessageCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotClientTest {

    private final FakeQueryApi processor = new FakeQueryApi();

    SnapshotClientTest() throws IOException {
    }

    @AfterEach
    void close() {
        processor.close();
    }

    private SnapshotClient client(String urls) {
        return new SnapshotClient(new MessageCodec(), Properties.gateway("processor-url", urls,
                "processor-token", FakeQueryApi.TOKEN, "snapshot-requests", "1", "snapshot-timeout", "5s"));
    }

    @Test
    void aSnapshotComesWithTheVersionTheProcessorSentItWith() throws Exception {
        SnapshotClient.SnapshotJson snapshot = client(processor.url().toString()).read("alice").get(5, TimeUnit.SECONDS);

        assertThat(snapshot.json()).isEqualTo(FakeQueryApi.snapshotOf("alice"));
        assertThat(snapshot.version()).isEqualTo(FakeQueryApi.versionOf("alice"));
    }

    @Test
    void readsThatComeWhileARequestIsOutGoTogetherInTheNext() {
        SnapshotClient client = client(processor.url().toString());
        processor.hold();
        CompletableFuture<SnapshotClient.SnapshotJson> first = client.read("u0");
        await().atMost(5, TimeUnit.SECONDS).until(() -> processor.requests.size() == 1);
        List<CompletableFuture<SnapshotClient.SnapshotJson>> waiting =
                IntStream.range(1, 11).mapToObj(i -> client.read("u" + i)).toList();
        processor.release();

        await().atMost(5, TimeUnit.SECONDS).until(() -> waiting.stream().allMatch(CompletableFuture::isDone));
        assertThat(processor.requests).containsExactly(List.of("u0"),
                IntStream.range(1, 11).mapToObj(i -> "u" + i).toList());
        for (int i = 1; i <= 10; i++) {
            assertThat(waiting.get(i - 1).join().version()).isEqualTo(FakeQueryApi.versionOf("u" + i));
        }
        assertThat(first).isCompleted();
    }

    @Test
    void aUserThatCannotBeReadFailsAloneWithTheProcessorsCode() {
        SnapshotClient client = client(processor.url().toString());
        processor.refuse("bob", "unavailable");
        processor.hold();
        CompletableFuture<SnapshotClient.SnapshotJson> first = client.read("first");
        await().atMost(5, TimeUnit.SECONDS).until(() -> processor.requests.size() == 1);
        CompletableFuture<SnapshotClient.SnapshotJson> alice = client.read("alice");
        CompletableFuture<SnapshotClient.SnapshotJson> bob = client.read("bob");
        processor.release();

        assertThat(alice.join().version()).isEqualTo(FakeQueryApi.versionOf("alice"));
        assertThat(bob).failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(first).isCompleted();
        assertThat(processor.requests).hasSize(2);
    }

    @Test
    void aProcessorThatFailsPassesTheReadToTheNextOne() throws Exception {
        try (FakeQueryApi other = new FakeQueryApi()) {
            processor.failNext(1);
            SnapshotClient client = client(processor.url() + "," + other.url());

            assertThat(client.read("alice").get(5, TimeUnit.SECONDS).version()).isEqualTo(FakeQueryApi.versionOf("alice"));
            assertThat(processor.requests).hasSize(1);
            assertThat(other.requests).containsExactly(List.of("alice"));
        }
    }

    @Test
    void anUnreachableProcessorIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SnapshotClient client = client("http://localhost:" + closedPort);

        assertThatThrownBy(() -> client.json("alice")).isInstanceOfSatisfying(SyncException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void anAnswerWithALineMissingIsRefusedForEveryUserOfTheRequest() {
        processor.dropLastLine();
        assertThatThrownBy(() -> client(processor.url().toString()).json("alice"))
                .isInstanceOfSatisfying(SyncException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("answered 0 snapshots for 1 users");
                });
    }
}
