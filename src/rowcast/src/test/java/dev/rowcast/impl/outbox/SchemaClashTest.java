package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rowcast.Capture;
import dev.rowcast.impl.model.ReactiveEntityModel;

/** The outbox names a row's table without its schema, so two captured tables of one name fail the deployment. */
class SchemaClashTest {

    private static ReactiveEntityModel note(String channel, String sqlTable) {
        return new ReactiveEntityModel("Note", Object.class, channel, "note", "id", "id", List.of(), List.of(), null,
                List.of(), Map.of(), 0, Long.class, Capture.DATABASE, sqlTable);
    }

    @Test
    void should_refuse_two_captured_tables_of_one_name_in_two_schemas_and_accept_one_table_in_a_schema() {
        List<String> problems = new ArrayList<>();
        DatabaseCapture.sameNameInTwoSchemas(List.of(note("a", "sales.note"), note("b", "hr.\"NOTE\"")), problems);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Tables [sales.note, hr.\"NOTE\"] are captured from the database and "
                + "share the name 'note'"), problems.get(0));
        assertTrue(problems.get(0).contains("Fix: capture only one of them from the database, or rename one."));

        problems.clear();
        DatabaseCapture.sameNameInTwoSchemas(List.of(note("a", "sales.note"), note("b", "sales.note"),
                note("c", "other")), problems);
        assertEquals(List.of(), problems, "two channels on one table, and a table in a schema, are fine");
    }
}
