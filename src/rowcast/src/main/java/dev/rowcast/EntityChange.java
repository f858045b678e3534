package dev.rowcast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One committed insert, update or delete of a {@link Reactive} entity. Immutable.
 * <p>
 * Rows are keyed by column name, as on the wire: basic attributes carry their value, to-one associations carry the
 * foreign key value. Observe it with {@code @Observes @Reactive EntityChange}; observers are called after commit on
 * Rowcast's dispatch thread, never for a rolled-back transaction.
 */
public final class EntityChange {

    private final ChangeType type;
    private final String channel;
    private final String table;
    private final Class<?> entityClass;
    private final String idColumn;
    private final Object id;
    private final Map<String, Object> row;
    private final Map<String, Object> previous;

    /**
     * Rowcast creates these; the constructor is public for tests of application observers.
     *
     * @param previous for updates, the previous value of each column that changed; empty otherwise
     */
    public EntityChange(ChangeType type, String channel, String table, Class<?> entityClass, String idColumn,
            Object id, Map<String, Object> row, Map<String, Object> previous) {
        this.type = Objects.requireNonNull(type, "type");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.table = Objects.requireNonNull(table, "table");
        this.entityClass = Objects.requireNonNull(entityClass, "entityClass");
        this.idColumn = Objects.requireNonNull(idColumn, "idColumn");
        this.id = Objects.requireNonNull(id, "id");
        this.row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
        this.previous = Collections.unmodifiableMap(new LinkedHashMap<>(previous));
    }

    public ChangeType type() {
        return type;
    }

    public String channel() {
        return channel;
    }

    public String table() {
        return table;
    }

    public Class<?> entityClass() {
        return entityClass;
    }

    /** The primary key column name, e.g. {@code id}. */
    public String idColumn() {
        return idColumn;
    }

    /** The primary key value. */
    public Object id() {
        return id;
    }

    /** The row after the change; for a delete, the row's last state. Column name to value. */
    public Map<String, Object> row() {
        return row;
    }

    /** For an update, the previous value of every column that changed. Empty for inserts and deletes. */
    public Map<String, Object> previous() {
        return previous;
    }

    /** For an update, the columns that changed. */
    public Set<String> changedColumns() {
        return previous.keySet();
    }

    @Override
    public String toString() {
        return "EntityChange[" + type.wireName() + " " + table + " " + idColumn + "=" + id + "]";
    }
}
