package dev.rowcast.impl.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.rowcast.EntityChange;

/** Drops columns from rows, changes and stored frames, including their previous values. */
final class Redaction {

    private Redaction() {
    }

    static EntityChange without(EntityChange change, Set<String> columns) {
        return new EntityChange(change.type(), change.channel(), change.table(), change.entityClass(),
                change.idColumn(), change.id(), without(change.row(), columns), without(change.previous(), columns));
    }

    static Map<String, Object> without(Map<String, Object> row, Set<String> columns) {
        Map<String, Object> kept = new LinkedHashMap<>(row);
        kept.keySet().removeAll(columns);
        return kept;
    }

    /** A stored change frame's event with the columns dropped, for replay. */
    static JsonObject without(JsonObject event, Set<String> columns) {
        JsonObjectBuilder copy = Json.createObjectBuilder(event);
        copy.add("row", drop(event.getJsonObject("row"), columns));
        if (event.containsKey("previous")) {
            copy.add("previous", drop(event.getJsonObject("previous"), columns));
            JsonArrayBuilder changed = Json.createArrayBuilder();
            for (JsonValue column : event.getJsonArray("changed")) {
                if (!columns.contains(((JsonString) column).getString())) {
                    changed.add(column);
                }
            }
            copy.add("changed", changed);
        }
        return copy.build();
    }

    private static JsonObject drop(JsonObject object, Set<String> columns) {
        JsonObjectBuilder kept = Json.createObjectBuilder(object);
        columns.forEach(kept::remove);
        return kept.build();
    }
}
