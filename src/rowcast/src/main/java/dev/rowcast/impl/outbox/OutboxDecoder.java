package dev.rowcast.impl.outbox;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * Turns one outbox row into the {@link EntityChange} Hibernate's listener would have made of the same write: the
 * mapped columns only, each converted to its attribute's Java type, and for an update the changed columns with
 * their previous values from {@code OLD}. An update that changed no mapped column gives nothing, as in JPA.
 */
public final class OutboxDecoder {

    /** Made once: {@code Json.createReader} looks the JSON provider up on every call, a class-path scan per frame. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private static final Logger LOG = Logger.getLogger(OutboxDecoder.class.getName());

    private final Map<String, List<ReactiveEntityModel>> byTable = new HashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public OutboxDecoder(Collection<ReactiveEntityModel> captured) {
        // TG_TABLE_NAME is the name as stored: unquoted names are folded to lower case
        captured.forEach(model -> byTable.computeIfAbsent(model.table().toLowerCase(Locale.ROOT),
                table -> new ArrayList<>()).add(model));
    }

    /** The channels whose rows this decodes. */
    public List<String> channels() {
        return byTable.values().stream().flatMap(List::stream).map(ReactiveEntityModel::channel).distinct().sorted()
                .toList();
    }

    public List<CapturedChange> decode(String table, String op, String oldJson, String newJson) {
        List<ReactiveEntityModel> models = byTable.get(table.toLowerCase(Locale.ROOT));
        if (models == null) {
            warnOnce("table " + table, "ROWCAST-055: the outbox has rows of table " + table + ", which no captured "
                    + "channel maps; they are skipped. A trigger left from an earlier deployment? (Logged once.)");
            return List.of();
        }
        JsonObject before = parse(oldJson);
        JsonObject after = parse(newJson);
        List<CapturedChange> changes = new ArrayList<>(models.size());
        for (ReactiveEntityModel model : models) {
            EntityChange change = switch (op) {
                case "I" -> whole(model, ChangeType.INSERT, after);
                case "D" -> whole(model, ChangeType.DELETE, before);
                case "U" -> oldJson == null ? updateOfUnknownPrevious(model, after) : update(model, before, after);
                default -> null;
            };
            if (change != null) {
                changes.add(new CapturedChange(model, change));
            }
        }
        return changes;
    }

    private EntityChange whole(ReactiveEntityModel model, ChangeType type, JsonObject json) {
        Map<String, Object> row = row(model, json);
        return new EntityChange(type, model.channel(), model.table(), model.entityClass(), model.idColumn(),
                row.get(model.idColumn()), row, Map.of());
    }

    private EntityChange update(ReactiveEntityModel model, JsonObject before, JsonObject after) {
        Map<String, Object> row = row(model, after);
        Map<String, Object> oldRow = row(model, before);
        Map<String, Object> previous = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            Object old = oldRow.get(column);
            if (!same(old, value)) {
                previous.put(column, old);
            }
        });
        if (previous.isEmpty()) {
            return null;
        }
        return new EntityChange(ChangeType.UPDATE, model.channel(), model.table(), model.entityClass(),
                model.idColumn(), row.get(model.idColumn()), row, previous);
    }

    /** A decoded update whose payload had nothing of the old row: sent without {@code changed}/{@code previous}. */
    private EntityChange updateOfUnknownPrevious(ReactiveEntityModel model, JsonObject after) {
        Map<String, Object> row = row(model, after);
        return new EntityChange(ChangeType.UPDATE, model.channel(), model.table(), model.entityClass(),
                model.idColumn(), row.get(model.idColumn()), row, Map.of());
    }

    /** The id, then each mapped column in model order, as EntityCapture builds a row. */
    Map<String, Object> row(ReactiveEntityModel model, JsonObject json) {
        Map<String, JsonValue> byColumn = new HashMap<>(json.size() * 2);
        json.forEach((name, value) -> byColumn.put(name.toLowerCase(Locale.ROOT), value));
        Map<String, Object> row = new LinkedHashMap<>(model.columns().size() * 2 + 2);
        row.put(model.idColumn(), value(model, model.idColumn(), byColumn, model.idType()));
        for (ColumnModel column : model.columns()) {
            Object stored = value(model, column.column(), byColumn, column.storedType());
            row.put(column.column(), stored == null || column.storedType() == column.javaType() ? stored
                    : fromStored(model, column, stored));
        }
        return row;
    }

    private Object value(ReactiveEntityModel model, String column, Map<String, JsonValue> byColumn, Class<?> type) {
        String key = column.toLowerCase(Locale.ROOT);
        boolean quoted = key.startsWith("\"") && key.endsWith("\"") || key.startsWith("`") && key.endsWith("`");
        if (key.length() > 1 && quoted) {
            key = key.substring(1, key.length() - 1);
        }
        JsonValue value = byColumn.get(key);
        if (value == null) {
            warnOnce(model.channel() + "." + column, "ROWCAST-056: table " + model.table() + " has no column " + column
                    + " in the database; channel '" + model.channel() + "' sends it as null. (Logged once.)");
            return null;
        }
        try {
            return ColumnValues.convert(value, type);
        } catch (RuntimeException e) {
            warnOnce(model.channel() + "." + column + " type", "ROWCAST-057: column " + model.table() + "." + column
                    + " holds " + value + ", which is not a " + type.getName() + " (" + e + "); it is sent as the "
                    + "database wrote it. (Logged once per column.)");
            return value.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) value).getString()
                    : value.toString();
        }
    }

    /** Through the mapping's converter, as Hibernate reads the column. */
    private Object fromStored(ReactiveEntityModel model, ColumnModel column, Object stored) {
        try {
            return column.fromStored().apply(stored);
        } catch (RuntimeException e) {
            warnOnce(model.channel() + "." + column.column() + " converter", "ROWCAST-058: the converter of "
                    + model.entityClass().getName() + "." + column.attribute() + " failed on " + stored + " (" + e
                    + "); it is sent as the database stores it. (Logged once per column.)");
            return stored;
        }
    }

    private static JsonObject parse(String json) {
        if (json == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = READERS.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** As EntityCapture compares: 1.0 and 1.00 are the same number. */
    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.deepEquals(a, b);
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            LOG.warning(message);
        }
    }
}
