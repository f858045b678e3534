package dev.rowcast.impl.visibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/** The rule of docs/security.md, "What a subscriber sees", one case at a time. */
class VisibilityTest {

    private static final ReactiveEntityModel NOTE = new ReactiveEntityModel("Note", Object.class, "note", "note",
            "id", "id", List.of(new ColumnModel("topic", "topic", false), new ColumnModel("text", "text", false),
                    new ColumnModel("secret", "secret", false)),
            List.of(new ScopeModel("topic", "topic", Long.class)), null, List.of(), Map.of(), 0);

    private static final Viewer BOB = new Viewer() {
        @Override
        public Principal principal() {
            return () -> "bob";
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }
    };

    /** Hides rows whose text starts with "private", and always the secret column. */
    private static final RowFilter FILTER = (viewer, row) -> row.getString("text").startsWith("private")
            ? RowVisibility.HIDDEN : RowVisibility.without("secret");

    private static EntityChange update(Map<String, Object> row, Map<String, Object> previous) {
        return new EntityChange(ChangeType.UPDATE, "note", "note", Object.class, "id", 1L, row, previous);
    }

    private static Map<String, Object> row(long topic, String text, String secret) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("topic", topic);
        row.put("text", text);
        row.put("secret", secret);
        return row;
    }

    private static EntityChange seenAs(Visibility visibility, EventType type, EntityChange change) {
        return visibility.of(NOTE, BOB, type, change).shape(change, type);
    }

    @Test
    void should_tell_the_old_scope_nothing_of_the_new_state_on_leave() {
        EntityChange moved = update(row(9, "new text", "s2"), Map.of("topic", 7L, "text", "old text"));
        for (Visibility visibility : List.of(new Visibility(List.of()), new Visibility(List.of(FILTER)))) {
            EntityChange leave = seenAs(visibility, EventType.LEAVE, moved);
            assertEquals(7L, leave.row().get("topic"), "the row as the old scope knew it");
            assertEquals("old text", leave.row().get("text"));
            assertTrue(leave.previous().isEmpty(), "no changed/previous with leave");
        }
    }

    @Test
    void should_send_enter_without_previous() {
        EntityChange moved = update(row(9, "new text", "s"), Map.of("topic", 7L, "text", "old text"));
        EntityChange enter = seenAs(new Visibility(List.of()), EventType.ENTER, moved);
        assertEquals(9L, enter.row().get("topic"));
        assertTrue(enter.previous().isEmpty(), "the new scope never saw the old state");
    }

    @Test
    void should_send_no_previous_when_the_row_becomes_visible() {
        EntityChange published = update(row(7, "now public", "s"), Map.of("text", "private draft"));
        Seen seen = new Visibility(List.of(FILTER)).of(NOTE, BOB, EventType.UPDATE, published);
        EntityChange shaped = seen.shape(published, EventType.UPDATE);
        assertEquals("now public", shaped.row().get("text"));
        assertTrue(shaped.previous().isEmpty(), "the hidden draft must not leak through previous");
    }

    @Test
    void should_hide_a_leave_of_a_row_the_old_scope_could_not_see() {
        EntityChange moved = update(row(9, "public now", "s"), Map.of("topic", 7L, "text", "private before"));
        assertTrue(new Visibility(List.of(FILTER)).of(NOTE, BOB, EventType.LEAVE, moved).hidden());
    }

    @Test
    void should_drop_from_previous_what_was_hidden_then_or_is_hidden_now() {
        EntityChange edited = update(row(7, "v2", "s2"), Map.of("text", "v1", "secret", "s1"));
        EntityChange shaped = seenAs(new Visibility(List.of(FILTER)), EventType.UPDATE, edited);
        assertEquals(Map.of("text", "v1"), shaped.previous());
        assertTrue(!shaped.row().containsKey("secret"));
    }

    @Test
    void should_hide_the_row_when_a_deny_list_filter_asks_about_a_role_never_recorded() {
        RowFilter hideFromBanned = (viewer, row) -> viewer.isUserInRole("banned") ? RowVisibility.HIDDEN
                : RowVisibility.VISIBLE;
        Viewer recordedUserOnly = new dev.rowcast.impl.security.ConnectionIdentity(() -> "mallory", Set.of("user"),
                null, Set.of("user"));
        EntityChange insert = new EntityChange(ChangeType.INSERT, "note", "note", Object.class, "id", 1L,
                row(7, "hello", "s"), Map.of());
        assertTrue(new Visibility(List.of(hideFromBanned)).of(NOTE, recordedUserOnly, EventType.INSERT, insert)
                .hidden(), "'banned' was never asked at the handshake: fail closed, not open");
    }
}
