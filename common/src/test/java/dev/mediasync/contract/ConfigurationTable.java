package dev.mediasync.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The property tables of docs/configuration.md, where an operator looks up a default. Each service's test
 * holds its rows to its typed properties, as {@link ContractLimits} does for the contract's limits. A row
 * may name several properties ({@code `sync.relay.retry-attempts` / `retry-backoff` | 4 / 200ms}); a
 * default written in words ("(none)", "the host name") or as an environment variable's name is not a
 * value and is left out.
 */
public final class ConfigurationTable {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| ((?:`[a-z0-9.-]+`(?: / )?)+) \\| ([^|]*?) \\|");
    private static final Pattern NAME = Pattern.compile("`([a-z0-9.-]+)`");
    private static final Pattern VALUE = Pattern.compile("`?([^`\\s()]+)`?");
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Z_]+");

    private ConfigurationTable() {
    }

    /** Property → documented default, for the properties under {@code prefix} (e.g. {@code sync.relay}). */
    public static Map<String, String> documented(String prefix) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(ContractSchemas.doc("configuration.md"));
        while (row.find()) {
            List<String> names = NAME.matcher(row.group(1)).results().map(m -> m.group(1)).toList();
            String[] values = row.group(2).split(" / ", -1);
            if (!names.get(0).startsWith(prefix + ".") || values.length != names.size()) {
                continue;
            }
            String parent = names.get(0).substring(0, names.get(0).lastIndexOf('.') + 1);
            for (int i = 0; i < names.size(); i++) {
                Matcher value = VALUE.matcher(values[i].strip());
                if (value.matches() && !ENVIRONMENT_VARIABLE.matcher(value.group(1)).matches()) {
                    rows.put(i == 0 ? names.get(0) : parent + names.get(i), value.group(1));
                }
            }
        }
        return rows;
    }

    /**
     * @param prefix the properties' prefix ({@code sync.relay})
     * @param type their {@code @ConfigurationProperties} record
     * @return how many documented defaults were checked
     */
    public static int assertDocumentedDefaults(String prefix, Class<?> type) {
        return ContractLimits.assertDefaults(prefix, type, documented(prefix), "docs/configuration.md");
    }
}
