package dev.rowcast.impl.protocol;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.rowcast.impl.model.ScopeModel;

/**
 * The Java types a scope value may have, and how a wire value is converted to each. Scope values are compared with
 * {@code equals}, so {@code 42} and {@code "42"} must both become {@code Long 42} for a {@code Long} scope.
 */
public enum ScopeValueKind {

    STRING {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            if (value instanceof JsonString s) {
                return s.getString();
            }
            if (value instanceof JsonNumber n) {
                return n.toString();
            }
            throw mismatch("a string");
        }
    },
    LONG {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            return integral(value, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    },
    INTEGER {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            return (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    },
    SHORT {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            return (short) integral(value, Short.MIN_VALUE, Short.MAX_VALUE);
        }
    },
    BYTE {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            return (byte) integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
    },
    BOOLEAN {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                return value == JsonValue.TRUE;
            }
            if (value instanceof JsonString s && ("true".equals(s.getString()) || "false".equals(s.getString()))) {
                return Boolean.valueOf(s.getString());
            }
            throw mismatch("true or false");
        }
    },
    UUID_KIND {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            if (value instanceof JsonString s) {
                try {
                    return UUID.fromString(s.getString());
                } catch (IllegalArgumentException e) {
                    // fall through to the uniform message
                }
            }
            throw mismatch("a UUID string");
        }
    },
    ENUM {
        @Override
        Object convert(JsonValue value, Class<?> type) {
            if (value instanceof JsonString s) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(s.getString())) {
                        return constant;
                    }
                }
            }
            throw mismatch("one of the names of " + type.getSimpleName());
        }
    };

    private static final Map<Class<?>, ScopeValueKind> BY_TYPE = Map.ofEntries(
            Map.entry(String.class, STRING),
            Map.entry(Long.class, LONG), Map.entry(long.class, LONG),
            Map.entry(Integer.class, INTEGER), Map.entry(int.class, INTEGER),
            Map.entry(Short.class, SHORT), Map.entry(short.class, SHORT),
            Map.entry(Byte.class, BYTE), Map.entry(byte.class, BYTE),
            Map.entry(Boolean.class, BOOLEAN), Map.entry(boolean.class, BOOLEAN),
            Map.entry(UUID.class, UUID_KIND));

    /** The kind for a Java type, or empty when values of that type cannot be scope values. */
    public static Optional<ScopeValueKind> of(Class<?> type) {
        if (type.isEnum()) {
            return Optional.of(ENUM);
        }
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** The types accepted as scope values, for error messages. */
    public static String supportedTypes() {
        return "String, Long, Integer, Short, Byte, Boolean, UUID or an enum";
    }

    /**
     * Converts a wire value to the value the scope compares rows with.
     *
     * @throws IllegalArgumentException when the value cannot be converted; the message says what was expected, fit
     *         for an {@code invalid_scope} error frame
     */
    public static Object convert(ScopeModel scope, JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new IllegalArgumentException("scope.value is required and may not be null");
        }
        ScopeValueKind kind = of(scope.valueType()).orElseThrow(() -> new IllegalStateException(
                "validated at deployment: " + scope.valueType()));
        return kind.convert(value, scope.valueType());
    }

    /**
     * Converts a wire value to this kind's Java value.
     *
     * @throws IllegalArgumentException with a message fit for an {@code invalid_scope} error frame
     */
    abstract Object convert(JsonValue value, Class<?> type);

    private static long integral(JsonValue value, long min, long max) {
        BigDecimal number;
        if (value instanceof JsonNumber n) {
            number = n.bigDecimalValue();
        } else if (value instanceof JsonString s && s.getString().length() <= 40) {
            try {
                number = new BigDecimal(s.getString().strip());
            } catch (NumberFormatException e) {
                throw mismatch("an integer");
            }
        } else {
            throw mismatch("an integer");
        }
        try {
            long result = number.longValueExact();
            if (result < min || result > max) {
                throw mismatch("an integer between " + min + " and " + max);
            }
            return result;
        } catch (ArithmeticException e) {
            throw mismatch("an integer between " + min + " and " + max);
        }
    }

    private static IllegalArgumentException mismatch(String expected) {
        return new IllegalArgumentException("expected " + expected);
    }
}
