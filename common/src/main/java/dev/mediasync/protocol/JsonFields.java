package dev.mediasync.protocol;

import dev.mediasync.clock.Hlc;
import dev.mediasync.error.SyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Typed, validating access to the fields of one JSON object. Every refusal is a {@code bad_request}
 * naming the field; {@code null} counts as absent; fields not asked for are ignored.
 */
public final class JsonFields {

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonFields of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw SyncException.badRequest("message must be a JSON object");
        }
        return new JsonFields(node, "");
    }

    private JsonNode value(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public boolean has(String name) {
        return value(name) != null;
    }

    /** The full field name for messages, e.g. {@code progress[2].content_id}. */
    public String name(String field) {
        return path + field;
    }

    private JsonNode required(String name) {
        JsonNode value = value(name);
        if (value == null) {
            throw SyncException.badRequest(name(name) + " is required");
        }
        return value;
    }

    public String string(String name) {
        JsonNode value = required(name);
        if (!value.isString()) {
            throw SyncException.badRequest(name(name) + " must be a string");
        }
        return value.stringValue();
    }

    public String optionalString(String name) {
        return has(name) ? string(name) : null;
    }

    public double number(String name) {
        JsonNode value = required(name);
        if (!value.isNumber()) {
            throw SyncException.badRequest(name(name) + " must be a number");
        }
        double number;
        try {
            number = value.doubleValue();
        } catch (JacksonException e) {
            number = Double.NaN; // beyond a double (e.g. a 400-digit integer)
        }
        if (!Double.isFinite(number)) {
            throw SyncException.badRequest(name(name) + " is out of range");
        }
        return number;
    }

    public Double optionalNumber(String name) {
        return has(name) ? number(name) : null;
    }

    public long integer(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw SyncException.badRequest(name(name) + " must be an integer");
        }
        return value.longValue();
    }

    public boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw SyncException.badRequest(name(name) + " must be true or false");
        }
        return value.booleanValue();
    }

    public Hlc hlc(String name) {
        return Hlc.parse(string(name), name(name));
    }

    public Hlc optionalHlc(String name) {
        return has(name) ? hlc(name) : null;
    }

    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        return WireEnum.parse(type, string(name), name(name));
    }

    public <E extends Enum<E>> E optionalEnum(String name, Class<E> type) {
        return has(name) ? enumValue(name, type) : null;
    }

    /** An array of strings of at most {@code maxItems}, or {@code null} when absent. */
    public List<String> optionalStrings(String name, int maxItems) {
        if (!has(name)) {
            return null;
        }
        return elements(name, maxItems, (element, label) -> {
            if (!element.isString()) {
                throw SyncException.badRequest(label + " must be a string");
            }
            return element.stringValue();
        });
    }

    /** An array of objects, each read by {@code reader}; empty when absent. */
    public <T> List<T> objects(String name, Function<JsonFields, T> reader) {
        if (!has(name)) {
            return List.of();
        }
        return elements(name, Integer.MAX_VALUE, (element, label) -> {
            if (!element.isObject()) {
                throw SyncException.badRequest(label + " must be an object");
            }
            return reader.apply(new JsonFields(element, label + "."));
        });
    }

    private interface ElementReader<T> {
        T read(JsonNode element, String label);
    }

    private <T> List<T> elements(String name, int maxItems, ElementReader<T> reader) {
        JsonNode array = required(name);
        if (!array.isArray()) {
            throw SyncException.badRequest(name(name) + " must be an array");
        }
        if (array.size() > maxItems) {
            throw SyncException.badRequest(name(name) + " must have at most " + maxItems + " items");
        }
        List<T> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(reader.read(array.get(i), name(name) + "[" + i + "]"));
        }
        return items;
    }
}
