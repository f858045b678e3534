package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The SQL docs/configuration.md shows is the SQL Rowcast runs: users copy it into their migrations. */
class CaptureSqlDocTest {

    @Test
    void should_show_the_sql_rowcast_generates_for_the_chats_message_table() throws IOException {
        String doc = Files.readString(Path.of("../../docs/configuration.md"));
        String marker = "<!-- capture-sql: message -->\n```sql\n";
        int start = doc.indexOf(marker);
        assertTrue(start >= 0, "docs/configuration.md lost its capture SQL block");
        String shown = doc.substring(start + marker.length(), doc.indexOf("```", start + marker.length()));
        assertEquals(OutboxSql.install(List.of("message")).strip(), shown.strip(),
                "update the SQL in docs/configuration.md, \"Database capture\"");
    }
}
