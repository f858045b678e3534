package dev.rowcast.impl.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Appends JSON to a {@link StringBuilder}. Frames are built by hand because they are built once per change and scope
 * on the hot path; the value mapping is specified in docs/protocol.md ("Value encoding"). Whatever the text, the
 * output is valid JSON that encodes as UTF-8: a frame must never fail to send because of what a client or a writer
 * put in it.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    public static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // U+2028/2029 are valid JSON but break JavaScript string literals in older engines
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        escape(out, c);
                    } else if (Character.isSurrogate(c)) {
                        // a lone surrogate cannot be encoded as UTF-8 (the container's encoder throws): escape it
                        if (Character.isHighSurrogate(c) && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1))) {
                            out.append(c).append(value.charAt(++i));
                        } else {
                            escape(out, c);
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static void escape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    public static StringBuilder value(StringBuilder out, Object value) {
        if (value == null) {
            return out.append("null");
        }
        if (value instanceof JsonValue json) {
            return json(out, json);
        }
        if (value instanceof String s) {
            return string(out, s);
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            return out.append(value);
        }
        if (value instanceof BigDecimal decimal) {
            return out.append(decimal.toPlainString());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? out.append(value) : out.append("null");
        }
        if (value instanceof Enum<?> e) {
            return string(out, e.name());
        }
        if (value instanceof TemporalAccessor) {
            return string(out, value.toString());
        }
        if (value instanceof java.sql.Date date) {
            return string(out, date.toLocalDate().toString());
        }
        if (value instanceof Time time) {
            return string(out, time.toLocalTime().toString());
        }
        if (value instanceof Date date) {
            return string(out, date.toInstant().toString());
        }
        if (value instanceof byte[] bytes) {
            return string(out, Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            return object(out, map);
        }
        return string(out, value.toString());
    }

    /**
     * A client's or the application's JSON value, written again with our escaping: JSON-P writes a lone surrogate
     * as it is, which cannot be sent.
     */
    public static StringBuilder json(StringBuilder out, JsonValue value) {
        switch (value.getValueType()) {
            case STRING -> string(out, ((JsonString) value).getString());
            case NUMBER -> out.append(((JsonNumber) value).bigDecimalValue().toString());
            case OBJECT -> object(out, (JsonObject) value);
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonValue item : (JsonArray) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    json(out, item);
                }
                out.append(']');
            }
            default -> out.append(value); // true, false, null
        }
        return out;
    }

    public static StringBuilder object(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, String.valueOf(entry.getKey())).append(':');
            value(out, entry.getValue());
        }
        return out.append('}');
    }
}
