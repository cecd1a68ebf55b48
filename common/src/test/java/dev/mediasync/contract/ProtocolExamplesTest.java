package dev.mediasync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every JSON example of docs/protocol.md is what the schema allows: each {@code ```json} block is marked
 * with the definition its examples are ({@code <!-- schema: ClientMessage -->} on the line before), and
 * holds one example per line (or one over several lines). An example that drifts from the schema, or a
 * block without its mark, fails here.
 */
class ProtocolExamplesTest {

    private static final Path PROTOCOL = ContractSchemas.FILE.getParent().getParent().resolve("protocol.md");
    private static final Pattern BLOCK = Pattern.compile("(?:<!-- schema: (\\w+) -->\\n)?```json\\n(.*?)```", Pattern.DOTALL);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Example(String definition, String json) {
    }

    static List<Example> examples() throws IOException {
        Matcher blocks = BLOCK.matcher(Files.readString(PROTOCOL));
        List<Example> examples = new ArrayList<>();
        while (blocks.find()) {
            String definition = blocks.group(1);
            String body = blocks.group(2).strip();
            assertThat(definition).as("a json block of docs/protocol.md without its <!-- schema: … --> mark:%n%s", body)
                    .isNotNull();
            List<String> lines = body.lines().toList();
            boolean onePerLine = lines.stream().allMatch(line -> line.startsWith("{") && line.endsWith("}"));
            (onePerLine ? lines : List.of(body)).forEach(json -> examples.add(new Example(definition, json)));
        }
        return examples;
    }

    @Test
    void everyExampleOfTheProtocolConformsToTheSchema() throws IOException {
        List<Example> examples = examples();
        assertThat(examples).hasSizeGreaterThan(15);
        for (Example example : examples) {
            JSON.readTree(example.json()); // valid JSON first: a placeholder such as … is not
            ContractSchemas.assertConforms(example.definition(), example.json());
        }
    }

    @Test
    void aDriftedExampleIsCaught() {
        String drifted = "{\"type\":\"device_state\",\"device_id\":\"tv-1\",\"name\":\"TV\",\"platform\":\"tv\","
                + "\"online\":true,\"last_seen\":\"2026-12-04T10:00:00Z\",\"timestamp\":\"1764197000123:0\"}";
        assertThat(ContractSchemas.errors("ServerMessage", drifted)).isNotEmpty();
    }
}
