package dev.rowcast.impl.model;

/**
 * One column of the row a change frame carries. A to-one association contributes its foreign key column, whose
 * value is the associated entity's id.
 */
public record ColumnModel(String attribute, String column, boolean toOne) {
}
