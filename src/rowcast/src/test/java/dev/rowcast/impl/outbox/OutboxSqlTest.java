package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OutboxSqlTest {

    @Test
    void should_name_every_object_as_rowcasts_and_create_only_what_is_missing() {
        String sql = OutboxSql.install(List.of("message", "chat.\"Note\""));
        assertTrue(sql.contains("CREATE TABLE IF NOT EXISTS rowcast_outbox"), sql);
        assertTrue(sql.contains("CREATE SEQUENCE IF NOT EXISTS rowcast_outbox_id_seq"), sql);
        assertTrue(sql.contains("CREATE OR REPLACE FUNCTION rowcast_capture()"), sql);
        assertTrue(sql.contains("CREATE CONSTRAINT TRIGGER rowcast_capture_message AFTER INSERT OR UPDATE OR DELETE "
                + "ON message"), sql);
        assertTrue(sql.contains("tgrelid = 'chat.\"Note\"'::regclass AND tgname = 'rowcast_capture_note'"), sql);
        assertTrue(sql.contains("ON chat.\"Note\""), sql);
        assertTrue(sql.contains("DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"), sql);
        assertTrue(sql.contains("pg_advisory_xact_lock(" + OutboxSql.COMMIT_LOCK + ")"), "numbered under the lock");
        assertFalse(sql.contains("DROP "), "nothing is dropped: no moment without capture");
        assertTrue(sql.contains("to_jsonb(OLD)") && sql.contains("to_jsonb(NEW)"), sql);
    }

    @Test
    void should_leave_out_notify_in_polling_mode_and_only_there() {
        String notifying = OutboxSql.install(List.of("message"));
        String polled = OutboxSql.install(List.of("message"), false);
        assertTrue(notifying.contains(OutboxSql.NOTIFY_LINE), notifying);
        assertFalse(polled.contains("pg_notify"), polled);
        assertEquals(notifying.replace(OutboxSql.NOTIFY_LINE, ""), polled, "nothing else differs");
    }

    @Test
    void should_derive_the_trigger_name_from_the_bare_table_name_within_63_bytes() {
        assertEquals("rowcast_capture_message", OutboxSql.triggerName("message"));
        assertEquals("rowcast_capture_my_table", OutboxSql.triggerName("app.\"My Table\""));
        assertEquals("rowcast_capture_a_b", OutboxSql.triggerName("\"a.b\""));
        assertEquals(63, OutboxSql.triggerName("t".repeat(100)).length());
        assertEquals("My Table", OutboxSql.unquoted("app.\"My Table\""));
    }
}
