package dev.mediasync.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a client keeps what must outlive the process, as JSON documents under two names: {@code outbox}
 * (the ops without an ack, and the clock; saved before an op is sent, so an edit is safe once its method
 * returns) and {@code state} (the last state shown, saved after each snapshot and at close). An app
 * implements it over what its platform has (files, Android's {@code SharedPreferences}, a database row);
 * {@link #directory} and {@link #memory} are here.
 */
public interface ClientStorage {

    /** The document saved last under this name, or {@code null} when there is none. */
    String load(String name);

    /** Replaces the document; when this returns, it survives the process. */
    void save(String name, String document);

    /**
     * One file per name in a directory ({@code outbox.json}, {@code state.json}), each written whole and
     * moved into place, so a crash leaves the old document or the new one, never half of one.
     */
    static ClientStorage directory(Path directory) {
        return new ClientStorage() {
            @Override
            public String load(String name) {
                Path path = directory.resolve(name + ".json");
                try {
                    return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : null;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the client's storage " + path, e);
                }
            }

            @Override
            public void save(String name, String document) {
                Path path = directory.resolve(name + ".json");
                try {
                    Path parent = path.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    Path temporary = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
                    Files.writeString(temporary, document, StandardCharsets.UTF_8);
                    try {
                        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the client's storage " + path, e);
                }
            }
        };
    }

    /** Nothing outlives the process: for tests and for apps that keep no edits across restarts. */
    static ClientStorage memory() {
        return new ClientStorage() {
            private final Map<String, String> documents = new ConcurrentHashMap<>();

            @Override
            public String load(String name) {
                return documents.get(name);
            }

            @Override
            public void save(String name, String document) {
                documents.put(name, document);
            }
        };
    }
}
