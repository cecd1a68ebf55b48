package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

/**
 * The close codes of {@code docs/protocol.md} are the ones the gateway sends, no more and no fewer: every
 * close status the gateway's code names (each is a constant, found here by reading the classes, not listed
 * by hand) against the table.
 */
class CloseCodesDocTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{4}) \\|");

    @Test
    void theProtocolsCloseCodeTableListsEveryCodeTheGatewaySends() throws IOException {
        String protocol = Files.readString(Path.of("../docs/protocol.md"));
        String table = protocol.substring(protocol.indexOf("Close codes (added)"));
        Matcher rows = ROW.matcher(table.substring(0, table.indexOf("\n\n", table.indexOf("| code |"))));
        List<Integer> documented = rows.results().map(row -> Integer.parseInt(row.group(1))).toList();

        List<Integer> sent = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mediasync.gateway").stream()
                .flatMap(type -> type.getFields().stream())
                .filter(field -> field.getModifiers().contains(JavaModifier.STATIC)
                        && field.getRawType().isEquivalentTo(CloseStatus.class))
                .map(CloseCodesDocTest::code).distinct().toList();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(7);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(sent);
    }

    private static int code(JavaField field) {
        try {
            Field reflected = field.reflect();
            reflected.setAccessible(true);
            return ((CloseStatus) reflected.get(null)).getCode();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
