package dev.mediasync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The limits table of docs/protocol.md ("Limits (added)"): each property with its documented default,
 * written as the property itself is ({@code 4096}, {@code 64KB}, {@code 60s}). Each service's test holds
 * its rows to its typed properties: the documented value, bound as Spring binds configuration, must equal
 * the default.
 */
public final class ContractLimits {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| [^|]+ \\| `([a-z.-]+)` \\| ([^ |]+) \\|");

    private ContractLimits() {
    }

    /** Property → documented default, for the properties under {@code prefix} (e.g. {@code sync.gateway}). */
    public static Map<String, String> documented(String prefix) {
        String protocol = ContractSchemas.doc("protocol.md");
        int start = protocol.indexOf("## Limits (added)");
        String section = protocol.substring(start, protocol.indexOf("\n## ", start + 1));
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            if (row.group(1).startsWith(prefix + ".")) {
                rows.put(row.group(1), row.group(2));
            }
        }
        return rows;
    }

    /**
     * @param prefix the properties' prefix ({@code sync.gateway})
     * @param type their {@code @ConfigurationProperties} record
     * @return how many documented limits were checked
     */
    public static int assertDocumentedDefaults(String prefix, Class<?> type) {
        return assertDefaults(prefix, type, documented(prefix), "docs/protocol.md");
    }

    /**
     * @param documented property → its default as a document writes it
     * @return how many documented defaults were checked
     */
    static int assertDefaults(String prefix, Class<?> type, Map<String, String> documented, String document) {
        Object defaults = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate(prefix, type);
        documented.forEach((property, value) -> {
            Object asDocumented = new Binder(new MapConfigurationPropertySource(Map.of(property, value)))
                    .bindOrCreate(prefix, type);
            String path = camelCase(property.substring(prefix.length() + 1));
            assertThat(new BeanWrapperImpl(asDocumented).getPropertyValue(path))
                    .as("%s says %s defaults to %s", document, property, value)
                    .isEqualTo(new BeanWrapperImpl(defaults).getPropertyValue(path));
        });
        return documented.size();
    }

    private static String camelCase(String kebab) {
        StringBuilder camel = new StringBuilder();
        for (int i = 0; i < kebab.length(); i++) {
            char c = kebab.charAt(i);
            camel.append(c == '-' ? Character.toUpperCase(kebab.charAt(++i)) : c);
        }
        return camel.toString();
    }
}
