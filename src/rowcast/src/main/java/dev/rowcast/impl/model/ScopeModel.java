package dev.rowcast.impl.model;

import jakarta.json.JsonValue;

/**
 * One scope of a reactive entity: the attribute it reads, the column that names it on the wire, and the Java type of
 * its values (for a to-one association, the type of the target's id).
 */
public record ScopeModel(String attribute, String column, Class<?> valueType, ScopeValueKind kind) {

    /**
     * Converts a wire value to the value this scope compares rows with.
     *
     * @throws IllegalArgumentException when the value cannot be converted; the message says what was expected
     */
    public Object convert(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new IllegalArgumentException("scope.value is required and may not be null");
        }
        return kind.convert(value, valueType);
    }
}
