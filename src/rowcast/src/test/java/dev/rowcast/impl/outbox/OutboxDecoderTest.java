package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rowcast.Capture;
import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;

class OutboxDecoderTest {

    private static final ReactiveEntityModel MESSAGE = new ReactiveEntityModel("Message", Object.class, "message",
            "Message", "id", "id", List.of(new ColumnModel("conversation", "conversation_id", true, Long.class),
                    new ColumnModel("body", "body", false, String.class),
                    new ColumnModel("createdAt", "created_at", false, Instant.class),
                    new ColumnModel("version", "version", false, Long.class),
                    new ColumnModel("pinned", "pinned", false, Boolean.class, Character.class,
                            stored -> Character.valueOf('Y').equals(stored))),
            List.of(new ScopeModel("conversation", "conversation_id", Long.class)), null, List.of(), Map.of(), 0,
            Long.class, Capture.DATABASE, "Message");

    private final OutboxDecoder decoder = new OutboxDecoder(List.of(MESSAGE));

    private static String json(long conversation, String body, long version) {
        return "{\"id\": 7, \"conversation_id\": " + conversation + ", \"body\": \"" + body + "\", \"unmapped\": 1, "
                + "\"created_at\": \"2026-11-29T07:36:31.5+01:00\", \"VERSION\": " + version + ", \"pinned\": \"Y\"}";
    }

    @Test
    void should_make_the_row_jpa_makes_of_an_insert_mapped_columns_only() {
        List<CapturedChange> changes = decoder.decode("message", "I", null, json(3, "hi", 0));
        assertEquals(1, changes.size());
        EntityChange change = changes.get(0).change();
        assertEquals(ChangeType.INSERT, change.type());
        assertEquals(7L, change.id());
        assertEquals(true, change.row().get("pinned"), "through the mapping's converter");
        assertEquals(List.of("id", "conversation_id", "body", "created_at", "version", "pinned"),
                List.copyOf(change.row().keySet()), "id first, then model order; unmapped columns left out");
        assertEquals(Instant.parse("2026-11-29T06:36:31.5Z"), change.row().get("created_at"));
        assertEquals(0L, change.row().get("version"), "column names match whatever their case");
        assertTrue(change.previous().isEmpty());
    }

    @Test
    void should_list_the_changed_columns_with_their_previous_values_from_old() {
        EntityChange change = decoder.decode("message", "U", json(3, "before", 0), json(4, "after", 1)).get(0)
                .change();
        assertEquals(ChangeType.UPDATE, change.type());
        assertEquals(Map.of("conversation_id", 3L, "body", "before", "version", 0L), change.previous());
        assertEquals("after", change.row().get("body"));
    }

    @Test
    void should_send_nothing_for_an_update_of_unmapped_columns_only_and_the_last_state_for_a_delete() {
        String before = json(3, "same", 0);
        String after = before.replace("\"unmapped\": 1", "\"unmapped\": 2");
        assertTrue(decoder.decode("message", "U", before, after).isEmpty());
        EntityChange delete = decoder.decode("message", "D", before, null).get(0).change();
        assertEquals(ChangeType.DELETE, delete.type());
        assertEquals("same", delete.row().get("body"));
        assertTrue(decoder.decode("other", "I", null, before).isEmpty(), "a table no channel maps");
    }

    /** A notification decoder's update without the old row: sent as an update of unknown previous state. */
    @Test
    void should_make_an_update_without_previous_of_a_decoded_update_without_old_columns() {
        EntityChange change = decoder.decode("message", "U", null, json(4, "after", 1)).get(0).change();
        assertEquals(ChangeType.UPDATE, change.type());
        assertTrue(change.previous().isEmpty(), "no changed, no previous: the old state is unknown");
        assertEquals("after", change.row().get("body"));
    }
}
