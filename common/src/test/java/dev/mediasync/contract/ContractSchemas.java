package dev.mediasync.contract;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract's JSON Schema (docs/schemas/sync-protocol.schema.json), for tests that hold what the code
 * really sends and writes against it. Definitions are named as in its {@code $defs}: {@code ClientMessage},
 * {@code ServerMessage}, {@code OpRecord}, {@code StateRecord}, {@code StateTombstoneEvent},
 * {@code CommandRecord}, or any single message.
 */
public final class ContractSchemas {

    public static final Path FILE = locate();
    /** The schema's {@code $id}: the registry serves the file under it, so nothing is fetched. */
    private static final String ID = "https://mediasync.dev/schemas/sync-protocol.schema.json";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(Map.of(ID, read(FILE))));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private ContractSchemas() {
    }

    /** What is wrong with {@code json} as a {@code definition}; empty when it conforms. */
    public static List<String> errors(String definition, String json) {
        Schema schema = SCHEMAS.computeIfAbsent(definition,
                name -> REGISTRY.getSchema(SchemaLocation.of(ID + "#/$defs/" + name)));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** @throws AssertionError naming the definition, the violations and the JSON */
    public static void assertConforms(String definition, String json) {
        List<String> errors = errors(definition, json);
        if (!errors.isEmpty()) {
            throw new AssertionError(json + " is not a " + definition + " of docs/schemas: " + errors);
        }
    }

    /** A page of the repository's docs/ ({@code protocol.md}, {@code configuration.md}, {@code asyncapi.yaml}). */
    public static String doc(String name) {
        return read(FILE.getParent().getParent().resolve(name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's schema, from any module's directory (where Maven runs tests). */
    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("docs/schemas/sync-protocol.schema.json");
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalStateException("docs/schemas/sync-protocol.schema.json not found above " + Path.of("")
                .toAbsolutePath());
    }
}
