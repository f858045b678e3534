package dev.rowcast.impl.model;

/**
 * One column of the row a change frame carries. A to-one association contributes its foreign key column, whose
 * value is the associated entity's id.
 *
 * @param javaType the attribute's Java type (for a to-one, the target's id type): what a value read from the
 *        database outside JPA is converted to, so it renders as the JPA value does
 */
public record ColumnModel(String attribute, String column, boolean toOne, Class<?> javaType) {

    /** A column whose values only ever come from JPA. */
    public ColumnModel(String attribute, String column, boolean toOne) {
        this(attribute, column, toOne, Object.class);
    }
}
