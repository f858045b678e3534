package dev.rowcast.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.rowcast.ChangeType;

/**
 * What a {@link NotificationDecoder} read from one payload: a table, the kind of change and the row's id. Rowcast
 * reads inserted and updated rows back from the table (the row as committed when it reads it, so a row changed
 * twice quickly is sent twice in its newest state), and takes a deleted row from {@code before}.
 */
public final class DecodedChange {

    private static final DecodedChange SKIP = new DecodedChange(null, null, null, Map.of());

    private final String table;
    private final ChangeType type;
    private final Object id;
    private final Map<String, Object> before;

    private DecodedChange(String table, ChangeType type, Object id, Map<String, Object> before) {
        this.table = table;
        this.type = type;
        this.id = id;
        this.before = before;
    }

    /** The payload names no change Rowcast should send. */
    public static DecodedChange skip() {
        return SKIP;
    }

    public static DecodedChange inserted(String table, Object id) {
        return new DecodedChange(table, ChangeType.INSERT, id, Map.of());
    }

    /**
     * @param before the columns the payload has of the row before the update (by column name), or an empty map:
     *        with them the frame carries {@code previous} and a scope move sends {@code leave}/{@code enter};
     *        without, {@code changed} and {@code previous} are absent and a move shows in the new scope only
     */
    public static DecodedChange updated(String table, Object id, Map<String, Object> before) {
        return new DecodedChange(table, ChangeType.UPDATE, id, copy(before));
    }

    /** @param before the deleted row by column name: at least every scope column, as the row is gone */
    public static DecodedChange deleted(String table, Object id, Map<String, Object> before) {
        return new DecodedChange(table, ChangeType.DELETE, id, copy(before));
    }

    private static Map<String, Object> copy(Map<String, Object> before) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(before, "before")));
    }

    public boolean skipped() {
        return this == SKIP;
    }

    public String table() {
        return table;
    }

    public ChangeType type() {
        return type;
    }

    public Object id() {
        return id;
    }

    public Map<String, Object> before() {
        return before;
    }

    @Override
    public String toString() {
        return skipped() ? "skip" : type + " " + table + " id " + id;
    }
}
