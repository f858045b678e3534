package dev.rowcast.impl.visibility;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Drops columns from a row or from previous values. */
final class Redaction {

    private Redaction() {
    }

    static Map<String, Object> without(Map<String, Object> row, Set<String> columns) {
        if (columns.isEmpty()) {
            return row;
        }
        Map<String, Object> kept = new LinkedHashMap<>(row);
        kept.keySet().removeAll(columns);
        return kept;
    }
}
