package dev.rowcast.impl.outbox;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Converts a column of {@code to_jsonb(row)} to the Java type JPA gives the attribute, so a row read from the outbox
 * renders exactly as the same row from Hibernate. PostgreSQL's JSON formats: timestamps ISO 8601 with the writer's
 * offset ({@code +01:00}, or {@code +01} for {@code timetz}), bytea as {@code "\\x0102"}, non-finite floats as
 * strings, numerics as exact numbers.
 */
final class ColumnValues {

    private static final Pattern HOUR_ONLY_OFFSET = Pattern.compile("([+-]\\d{2})$");

    private ColumnValues() {
    }

    /**
     * @throws IllegalArgumentException when the value does not fit the type
     */
    static Object convert(JsonValue value, Class<?> type) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        Class<?> target = boxed(type);
        if (target == String.class) {
            return value instanceof JsonString s ? s.getString() : value.toString();
        }
        if (target == Long.class) {
            return integral(value).longValueExact();
        }
        if (target == Integer.class) {
            return integral(value).intValueExact();
        }
        if (target == Short.class) {
            return integral(value).shortValueExact();
        }
        if (target == Byte.class) {
            return integral(value).byteValueExact();
        }
        if (target == Boolean.class) {
            if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                return value == JsonValue.TRUE;
            }
            return Boolean.valueOf(text(value));
        }
        if (target == BigDecimal.class) {
            return value instanceof JsonNumber n ? n.bigDecimalValue() : new BigDecimal(text(value));
        }
        if (target == BigInteger.class) {
            return integral(value).toBigIntegerExact();
        }
        if (target == Double.class) {
            return floating(value);
        }
        if (target == Float.class) {
            return (float) floating(value);
        }
        if (target == Character.class) {
            String s = text(value);
            if (s.length() != 1) {
                throw new IllegalArgumentException("expected one character");
            }
            return s.charAt(0);
        }
        if (target == UUID.class) {
            return UUID.fromString(text(value));
        }
        if (target == byte[].class) {
            return bytes(text(value));
        }
        if (target.isEnum()) {
            return enumValue(value, target);
        }
        return temporal(text(value), target);
    }

    private static Object temporal(String s, Class<?> target) {
        if (target == Instant.class) {
            return hasOffset(s) ? offsetDateTime(s).toInstant() : LocalDateTime.parse(s).atZone(ZoneId.of("UTC"))
                    .toInstant();
        }
        if (target == OffsetDateTime.class) {
            return offsetDateTime(s);
        }
        if (target == ZonedDateTime.class) {
            return offsetDateTime(s).toZonedDateTime();
        }
        if (target == LocalDateTime.class) {
            return hasOffset(s) ? offsetDateTime(s).atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime()
                    : LocalDateTime.parse(s);
        }
        if (target == LocalDate.class) {
            return LocalDate.parse(s);
        }
        if (target == LocalTime.class) {
            return LocalTime.parse(hasOffset(s) ? withoutOffset(s) : s);
        }
        if (target == OffsetTime.class) {
            return OffsetTime.parse(fullOffset(s));
        }
        if (target == java.sql.Timestamp.class) {
            return hasOffset(s) ? java.sql.Timestamp.from(offsetDateTime(s).toInstant())
                    : java.sql.Timestamp.valueOf(LocalDateTime.parse(s));
        }
        if (target == java.sql.Date.class) {
            return java.sql.Date.valueOf(LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s));
        }
        if (target == java.sql.Time.class) {
            return java.sql.Time.valueOf(LocalTime.parse(hasOffset(s) ? withoutOffset(s) : s));
        }
        if (target == Date.class) {
            return Date.from(hasOffset(s) ? offsetDateTime(s).toInstant()
                    : s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneId.systemDefault()).toInstant()
                    : LocalDateTime.parse(s).atZone(ZoneId.systemDefault()).toInstant());
        }
        // a type Rowcast has no rule for (a converted attribute, say): the database's text, as it is
        return s;
    }

    private static Object enumValue(JsonValue value, Class<?> type) {
        Object[] constants = type.getEnumConstants();
        if (value instanceof JsonNumber n) {
            return constants[n.intValueExact()]; // EnumType.ORDINAL
        }
        String name = text(value);
        for (Object constant : constants) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("no constant " + name + " in " + type.getName());
    }

    private static BigDecimal integral(JsonValue value) {
        return value instanceof JsonNumber n ? n.bigDecimalValue() : new BigDecimal(text(value));
    }

    private static double floating(JsonValue value) {
        if (value instanceof JsonNumber n) {
            return n.doubleValue();
        }
        return switch (text(value)) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text(value));
        };
    }

    /** bytea's hex output, {@code \x0102ff}. */
    private static byte[] bytes(String s) {
        if (!s.startsWith("\\x")) {
            throw new IllegalArgumentException("expected bytea hex output (bytea_output = hex)");
        }
        return HexFormat.of().parseHex(s, 2, s.length());
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : value.toString();
    }

    private static OffsetDateTime offsetDateTime(String s) {
        return OffsetDateTime.parse(fullOffset(s));
    }

    /** A sign or Z after the time part starts an offset; a plain date has none. */
    private static boolean hasOffset(String s) {
        if (s.indexOf('T') < 0 && s.indexOf(':') < 0) {
            return false;
        }
        int time = s.indexOf('T') + 1;
        for (int i = time + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '-' || c == 'Z') {
                return true;
            }
        }
        return false;
    }

    private static String withoutOffset(String s) {
        for (int i = s.length() - 1; i > 0; i--) {
            char c = s.charAt(i);
            if (c == '+' || c == '-' || c == 'Z') {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static String fullOffset(String s) {
        return HOUR_ONLY_OFFSET.matcher(s).find() ? s + ":00" : s;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return type == long.class ? Long.class : type == int.class ? Integer.class : type == short.class
                ? Short.class : type == byte.class ? Byte.class : type == boolean.class ? Boolean.class
                : type == double.class ? Double.class : type == float.class ? Float.class
                : type == char.class ? Character.class : type;
    }
}
