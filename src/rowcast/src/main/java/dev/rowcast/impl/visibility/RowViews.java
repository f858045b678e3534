package dev.rowcast.impl.visibility;

import java.math.BigDecimal;
import java.util.Map;

import dev.rowcast.spi.RowView;

/** A {@link RowView} over a row of entity values: the same Java types live, in snapshots and on replay. */
final class RowViews {

    private RowViews() {
    }

    static RowView of(String channel, String eventType, Map<String, Object> row) {
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
