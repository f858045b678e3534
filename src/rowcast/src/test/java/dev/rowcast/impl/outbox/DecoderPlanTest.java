package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.rowcast.Capture;
import dev.rowcast.impl.bridge.ConnectionSource;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.spi.DecodedChange;
import dev.rowcast.spi.NotificationDecoder;

/** A decoder's channel and tables are checked against the captured channels before anything starts. */
class DecoderPlanTest {

    private static final ReactiveEntityModel NOTE = new ReactiveEntityModel("Note", Object.class, "note", "Note",
            "id", "id", List.of(new ColumnModel("topic", "topic", false, Long.class)),
            List.of(new ScopeModel("topic", "topic", Long.class)), null, List.of(), Map.of(), 0, Long.class,
            Capture.DATABASE, "sales.\"Note\"");

    private static final ConnectionSource DATABASE = new ConnectionSource() {
        @Override
        public String unit() {
            return "unit";
        }

        @Override
        public boolean postgres() {
            return true;
        }

        @Override
        public Connection open() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void release(Connection connection, boolean broken) {
        }
    };

    private static NotificationDecoder decoder(String channel, Set<String> tables) {
        return new NotificationDecoder() {
            @Override
            public String channel() {
                if (channel == null) {
                    throw new IllegalStateException("boom");
                }
                return channel;
            }

            @Override
            public Set<String> tables() {
                return tables;
            }

            @Override
            public DecodedChange decode(String payload) {
                return DecodedChange.skip();
            }
        };
    }

    @Test
    void should_plan_a_decoder_of_a_captured_table_with_sql_that_reads_the_row_back_by_id() {
        List<String> problems = new ArrayList<>();
        List<DecoderPlan> plans = DecoderPlan.plan(List.of(decoder("app_events", Set.of("NOTE"))),
                Map.of(DATABASE, List.of(NOTE)), problems);
        assertEquals(List.of(), problems);
        DecodedTable table = plans.get(0).tables().get("note");
        assertEquals("note", table.outboxName, "as TG_TABLE_NAME of an unquoted name, so the decoder maps it");
        assertEquals(List.of("topic"), table.scopeColumns);
        assertTrue(table.readBack.contains("FROM sales.\"Note\" t WHERE t.\"id\" = (json_populate_record("
                + "NULL::sales.\"Note\", CAST(? AS json))).\"id\""), table.readBack);
        assertEquals(Set.of("sales.\"Note\""), DecoderPlan.decodedSqlTables(plans), "no Rowcast trigger goes there");
    }

    @Test
    void should_name_each_misconfigured_decoder_and_its_fix() {
        List<String> problems = new ArrayList<>();
        List<DecoderPlan> plans = DecoderPlan.plan(List.of(decoder(null, Set.of("note")),
                decoder("rowcast_outbox", Set.of("note")), decoder("a", Set.of()), decoder("b", Set.of("nope")),
                decoder("c", Set.of("note")), decoder("d", Set.of("note"))), Map.of(DATABASE, List.of(NOTE)), problems);
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("threw from channel() or tables(): java.lang.IllegalStateException: "
                + "boom. Fix:"), problems.get(0));
        assertTrue(problems.get(1).contains("(not Rowcast's own rowcast_outbox)"), problems.get(1));
        assertTrue(problems.get(2).contains("names no tables. Fix:"), problems.get(2));
        assertTrue(problems.get(3).contains("reports table 'nope', which no channel captured from the database "
                + "maps. Fix:"), problems.get(3));
        assertTrue(problems.get(4).contains("Table 'note' is reported by two notification decoders. Fix:"),
                problems.get(4));
        assertEquals(1, plans.size(), "only the first decoder of note is planned");
    }
}
