package dev.rowcast.impl.model;

import java.util.function.UnaryOperator;

/**
 * One column of the row a change frame carries. A to-one association contributes its foreign key column, whose
 * value is the associated entity's id.
 *
 * @param javaType the attribute's Java type (for a to-one, the target's id type): what a value read from the
 *        database outside JPA becomes, so it renders as the JPA value does
 * @param storedType the type the database stores: {@code javaType}, unless a converter maps it (then the
 *        converter's relational type)
 * @param fromStored the mapping's converter from the stored value to the attribute's, or the identity
 */
public record ColumnModel(String attribute, String column, boolean toOne, Class<?> javaType, Class<?> storedType,
        UnaryOperator<Object> fromStored) {

    /** A column whose values only ever come from JPA. */
    public ColumnModel(String attribute, String column, boolean toOne) {
        this(attribute, column, toOne, Object.class);
    }

    /** A column stored as its attribute's type. */
    public ColumnModel(String attribute, String column, boolean toOne, Class<?> javaType) {
        this(attribute, column, toOne, javaType, javaType, UnaryOperator.identity());
    }
}
