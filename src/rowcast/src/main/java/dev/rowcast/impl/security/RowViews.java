package dev.rowcast.impl.security;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.rowcast.spi.RowView;

/** {@link RowView}s over entity values (live, snapshot) and over stored JSON (replay), read alike. */
public final class RowViews {

    private RowViews() {
    }

    public static RowView of(String channel, String eventType, Map<String, Object> row) {
        return new View(channel, eventType) {
            @Override
            public boolean has(String column) {
                return row.containsKey(column);
            }

            @Override
            public Object get(String column) {
                return row.get(column);
            }
        };
    }

    public static RowView of(String channel, String eventType, JsonObject row) {
        return new View(channel, eventType) {
            @Override
            public boolean has(String column) {
                return row.containsKey(column);
            }

            @Override
            public Object get(String column) {
                JsonValue value = row.get(column);
                if (value == null || value == JsonValue.NULL) {
                    return null;
                }
                if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                    return value == JsonValue.TRUE;
                }
                if (value instanceof JsonString text) {
                    return text.getString();
                }
                if (value instanceof JsonNumber number) {
                    return number.bigDecimalValue();
                }
                return value.toString();
            }
        };
    }

    private abstract static class View implements RowView {

        private final String channel;
        private final String eventType;

        View(String channel, String eventType) {
            this.channel = channel;
            this.eventType = eventType;
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public String eventType() {
            return eventType;
        }

        @Override
        public String getString(String column) {
            Object value = get(column);
            return value == null ? null : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        }

        @Override
        public boolean getBoolean(String column) {
            Object value = get(column);
            return Boolean.TRUE.equals(value) || "true".equals(value);
        }

        @Override
        public Long getLong(String column) {
            Object value = get(column);
            try {
                if (value instanceof Number number) {
                    return new BigDecimal(number.toString()).longValueExact();
                }
                return value == null ? null : Long.valueOf(value.toString());
            } catch (ArithmeticException | NumberFormatException e) {
                return null;
            }
        }
    }
}
