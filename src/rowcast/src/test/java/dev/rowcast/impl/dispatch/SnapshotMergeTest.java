package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.SnapshotModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.impl.visibility.Visibility;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

class SnapshotMergeTest {

    private final ReactiveEntityModel model = new ReactiveEntityModel("Note", Object.class, "note", "note", "id", "id",
            List.of(), List.of(), new SnapshotModel(3, "n", "n", true), List.of(), Map.of(), 0);

    private static Map<String, Object> row(long id, long n) {
        return Map.of("id", id, "n", n);
    }

    private StreamEventView held(ChangeType type, String wireType, long id, long n) {
        EntityChange change = new EntityChange(type, "note", "note", Object.class, "id", id, row(id, n), Map.of());
        return new StreamEventView(new StreamId("note", "n", n), new Position("e", id),
                EventType.ofWireName(wireType).orElseThrow(), new ChangeText(change), model,
                new Visibility(List.of()));
    }

    @Test
    void should_apply_held_changes_in_order_whether_or_not_the_read_saw_them() {
        List<Map<String, Object>> read = List.of(row(2, 20), row(1, 10)); // the read already saw insert 2
        List<Map<String, Object>> merged = SnapshotMerge.merge(model, read, List.of(
                held(ChangeType.INSERT, "afterInsert", 2, 20),
                held(ChangeType.INSERT, "afterInsert", 3, 30),
                held(ChangeType.UPDATE, "afterUpdate", 1, 15),
                held(ChangeType.DELETE, "afterDelete", 3, 30),
                held(ChangeType.UPDATE, "enter", 4, 40)));
        assertEquals(List.of(row(4, 40), row(2, 20), row(1, 15)), merged, "newest first, each row once");
    }

    @Test
    void should_keep_the_limit_and_drop_rows_that_left() {
        List<Map<String, Object>> read = List.of(row(3, 30), row(2, 20), row(1, 10));
        List<Map<String, Object>> merged = SnapshotMerge.merge(model, read, List.of(
                held(ChangeType.UPDATE, "leave", 2, 20),
                held(ChangeType.INSERT, "afterInsert", 5, 50),
                held(ChangeType.INSERT, "afterInsert", 6, 60)));
        assertEquals(List.of(row(6, 60), row(5, 50), row(3, 30)), merged);
    }

    @Test
    void should_return_the_read_rows_untouched_when_nothing_was_held() {
        List<Map<String, Object>> read = List.of(row(1, 10));
        assertEquals(read, SnapshotMerge.merge(model, read, List.of()));
    }
}
