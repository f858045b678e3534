package dev.rowcast.spi;

/**
 * One row as a {@link RowFilter} sees it, keyed by column name as on the wire. Values may come from the entity
 * (live changes, snapshots) or from a stored frame (replay), so read them through the typed getters.
 */
public interface RowView {

    String channel();

    /** {@code afterInsert}, {@code afterUpdate}, {@code afterDelete}, {@code enter}, {@code leave}, or {@code snapshot}. */
    String eventType();

    boolean has(String column);

    /** The raw value; its Java type depends on where the row came from. Prefer the typed getters. */
    Object get(String column);

    /** The value as text, or {@code null}. */
    String getString(String column);

    /** {@code true} for a boolean true or the text "true". */
    boolean getBoolean(String column);

    /** The value as a long, or {@code null} when absent, null or not a whole number. */
    Long getLong(String column);
}
