package dev.mediasync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientStorageTest {

    @TempDir
    Path directory;

    @Test
    void aDirectoryKeepsOneWholeDocumentPerNameAndNothingHalfWritten() throws Exception {
        ClientStorage storage = ClientStorage.directory(directory.resolve("tv"));
        assertThat(storage.load("outbox")).isNull();

        storage.save("outbox", "{\"ops\":[1]}");
        storage.save("outbox", "{\"ops\":[1,2]}");
        storage.save("state", "{}");

        ClientStorage reopened = ClientStorage.directory(directory.resolve("tv"));
        assertThat(reopened.load("outbox")).isEqualTo("{\"ops\":[1,2]}");
        assertThat(reopened.load("state")).isEqualTo("{}");
        try (var files = Files.list(directory.resolve("tv"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("outbox.json",
                    "state.json"); // no temporary file left behind
        }
    }

    @Test
    void aClientRestoresItsOutboxAndShownStateFromStorage() {
        ClientStorage storage = ClientStorage.memory();
        try (SyncClient first = SyncClient.builder(java.net.URI.create("http://localhost:1"), "tv").token("t")
                .storage(storage).build()) {
            first.addToWatchlist("tmdb:1");
            first.addToWatchlist("tmdb:2");
        }
        try (SyncClient second = SyncClient.builder(java.net.URI.create("http://localhost:1"), "tv").token("t")
                .storage(storage).build()) {
            assertThat(second.pending()).isEqualTo(2);
            assertThat(second.addToWatchlist("tmdb:3")).isNotDone();
            assertThat(second.pending()).isEqualTo(3);
        }
    }

    @Test
    void aFullOutboxRefusesTheNextOpWithATypedError() {
        try (SyncClient client = SyncClient.builder(java.net.URI.create("http://localhost:1"), "tv").token("t")
                .maxPending(1).build()) {
            client.addToWatchlist("tmdb:1");
            assertThat(client.addToWatchlist("tmdb:2")).failsWithin(java.time.Duration.ZERO).withThrowableThat()
                    .havingRootCause().isInstanceOfSatisfying(SyncError.class,
                            error -> assertThat(error.code()).isEqualTo("outbox_full"));
        }
    }

    @Test
    void theTokensExpiryIsReadFromItsClaims() {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"alice\",\"exp\":1800000000}".getBytes());
        assertThat(SyncClient.expiresAtMs("h." + payload + ".s")).isEqualTo(1_800_000_000_000L);
        assertThat(SyncClient.expiresAtMs("not a jwt")).isZero();
    }
}
