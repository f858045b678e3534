package dev.rowcast.spi;

/**
 * One row as a {@link RowFilter} sees it, keyed by column name as on the wire. Values have the entity's Java types
 * on every path (live changes, batches, snapshots and replay): a foreign key to a {@code Long} id is a {@code Long}.
 */
public interface RowView {

    String channel();

    /** {@code afterInsert}, {@code afterUpdate}, {@code afterDelete}, {@code enter}, {@code leave}, or {@code snapshot}. */
    String eventType();

    boolean has(String column);

    /** The raw value, with the Java type of the entity's attribute (for a to-one association, of the target's id). */
    Object get(String column);

    /** The value as text, or {@code null}. */
    String getString(String column);

    /** {@code true} for a boolean true or the text "true". */
    boolean getBoolean(String column);

    /** The value as a long, or {@code null} when absent, null or not a whole number. */
    Long getLong(String column);
}
