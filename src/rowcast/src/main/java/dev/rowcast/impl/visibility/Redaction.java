package dev.rowcast.impl.visibility;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.rowcast.EntityChange;

/** Drops columns from rows and changes, including their previous values. */
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
}
