package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.SnapshotModel;

/**
 * Folds the changes held during a snapshot read into the rows read. The rows reflect some of those changes already
 * (the ones that committed before the read); every change carries the full row, so applying all of them in stream
 * order gives the state at the last one either way. That makes the snapshot exact at the stream's head.
 */
final class SnapshotMerge {

    private SnapshotMerge() {
    }

    static List<Map<String, Object>> merge(ReactiveEntityModel model, List<Map<String, Object>> rows,
            List<StreamEventView> held) {
        if (held.isEmpty()) {
            return rows;
        }
        Map<Object, Map<String, Object>> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put(row.get(model.idColumn()), row));
        for (StreamEventView event : held) {
            Object id = event.text.change().id();
            if (event.type.removesRow()) {
                byId.remove(id);
            } else {
                byId.put(id, event.text.change().row());
            }
        }
        SnapshotModel snapshot = model.snapshotModel().orElseThrow();
        Comparator<Map<String, Object>> order = Comparator
                .comparing((Map<String, Object> row) -> comparable(row.get(snapshot.orderColumn())),
                        Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(row -> comparable(row.get(model.idColumn())),
                        Comparator.nullsLast(Comparator.naturalOrder()));
        List<Map<String, Object>> merged = new ArrayList<>(byId.values());
        merged.sort(snapshot.descending() ? order.reversed() : order);
        return merged.size() > snapshot.limit() ? merged.subList(0, snapshot.limit()) : merged;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Comparable<Object> comparable(Object value) {
        return value instanceof Comparable comparable ? comparable : value == null ? null : (Comparable) value.toString();
    }
}
