package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.ChatApi.Reply;
import dev.rowcast.chat.it.support.ClientView;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.Postgres;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Database capture on real PostgreSQL (-Ppostgres only): writes from outside the application, bulk JPQL and JPA
 * writes all reach subscribers through the trigger and the outbox, with the frames JPA capture gives, once, in
 * commit order, across a killed listener connection, and joined to snapshots at one position.
 */
class DatabaseCaptureIT extends DeployedChat {

    private static final Duration QUIET = Duration.ofMillis(500);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForDatabaseCapture();
    }

    private static Connection outside() throws SQLException {
        return Postgres.outside();
    }

    @Test
    void should_give_a_write_through_the_trigger_the_frame_jpa_capture_gives_the_same_write() {
        long a = api.createConversation("same a");
        long b = api.createConversation("same b");
        try (WsClient trigger = WsClient.connect(base); WsClient jpa = WsClient.connect(base);
                WsClient triggerB = WsClient.connect(base); WsClient jpaB = WsClient.connect(base)) {
            trigger.subscribeConversation(a);
            jpa.subscribe("message_jpa", "conversation_id", a);
            triggerB.subscribeConversation(b);
            jpaB.subscribe("message_jpa", "conversation_id", b);

            long id = Long.parseLong(probe("POST", "mirror/" + a + "?body=first").body());
            JsonObject inserted = sameEvent(trigger.next("change"), jpa.next("change"));
            assertEquals("afterInsert", inserted.getString("type"));
            assertEquals(Set.of("id", "conversation_id", "author", "body", "private", "created_at", "version"),
                    inserted.getJsonObject("row").keySet());

            probe("PUT", "mirror/" + id + "?body=second");
            JsonObject updated = sameEvent(trigger.next("change"), jpa.next("change"));
            assertEquals("afterUpdate", updated.getString("type"));
            assertEquals("first", updated.getJsonObject("previous").getString("body"));
            assertEquals(Set.of("body", "version"), updated.getJsonObject("previous").keySet());

            probe("PUT", "mirror/" + id + "?body=third&conversation=" + b);
            assertEquals("leave", sameEvent(trigger.next("change"), jpa.next("change")).getString("type"));
            assertEquals("enter", sameEvent(triggerB.next("change"), jpaB.next("change")).getString("type"));

            probe("DELETE", "mirror/" + id);
            assertEquals("afterDelete", sameEvent(triggerB.next("change"), jpaB.next("change")).getString("type"));
            for (WsClient client : List.of(trigger, jpa, triggerB, jpaB)) {
                client.expectSilence(QUIET);
            }
        }
    }

    @Test
    void should_deliver_sql_writes_from_outside_with_the_values_jpa_would_send() throws Exception {
        long conversation = api.createConversation("outside");
        try (WsClient client = WsClient.connect(base); Connection sql = outside()) {
            client.subscribeConversation(conversation);
            JsonObject posted = api.postMessage(conversation, "through jpa");
            JsonObject jpaRow = client.next("change").getJsonObject("event").getJsonObject("row");
            client.expectSilence(QUIET); // a JPA write arrives once: through the trigger, not also from Hibernate

            long id;
            try (PreparedStatement insert = sql.prepareStatement("INSERT INTO message (conversation_id, author, "
                    + "body, private, created_at, version) SELECT conversation_id, author, 'through sql', private, "
                    + "created_at, version FROM message WHERE id = ? RETURNING id")) {
                insert.setLong(1, posted.getJsonNumber("id").longValue());
                try (ResultSet result = insert.executeQuery()) {
                    result.next();
                    id = result.getLong(1);
                }
            }
            JsonObject event = client.next("change").getJsonObject("event");
            assertEquals("afterInsert", event.getString("type"));
            JsonObject row = event.getJsonObject("row");
            assertEquals(id, event.getJsonObject("primaryKey").getJsonNumber("id").longValue());
            assertEquals(jpaRow.keySet(), row.keySet());
            for (String column : List.of("conversation_id", "author", "private", "created_at", "version")) {
                assertEquals(jpaRow.get(column), row.get(column), column + " encoded as JPA encodes it");
            }
            assertEquals("through sql", row.getString("body"));

            // psql's own session time zone must not show in the frame
            try (Statement statement = sql.createStatement()) {
                statement.execute("SET TIME ZONE 'Asia/Kolkata'");
                statement.executeUpdate("UPDATE message SET body = 'edited in sql', version = version + 1 "
                        + "WHERE id = " + id);
            }
            JsonObject update = client.next("change").getJsonObject("event");
            assertEquals("afterUpdate", update.getString("type"));
            assertEquals(Set.of("body", "version"), update.getJsonObject("previous").keySet());
            assertEquals("through sql", update.getJsonObject("previous").getString("body"));
            assertEquals(jpaRow.get("created_at"), update.getJsonObject("row").get("created_at"));

            try (Statement statement = sql.createStatement()) {
                statement.executeUpdate("DELETE FROM message WHERE id = " + id);
            }
            assertEquals("afterDelete", client.next("change").getJsonObject("event").getString("type"));
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_deliver_a_one_megabyte_row() throws Exception {
        String body = "x".repeat(1_000_000);
        byte[] data = { 0, 1, (byte) 0xfe, (byte) 0xff };
        try (WsClient client = WsClient.connect(base); Connection sql = outside()) {
            client.subscribe("large_note", "topic", 5);
            try (PreparedStatement insert = sql.prepareStatement(
                    "INSERT INTO large_note (id, topic, body, data) VALUES ((SELECT coalesce(max(id), 0) + 1 "
                            + "FROM large_note), 5, ?, ?)")) {
                insert.setString(1, body);
                insert.setBytes(2, data);
                insert.executeUpdate();
            }
            JsonObject row = client.next("change").getJsonObject("event").getJsonObject("row");
            assertEquals(body.length(), row.getString("body").length());
            assertEquals(Base64.getEncoder().encodeToString(data), row.getString("data"), "bytea as JPA sends byte[]");
        }
    }

    /** 600 rows per transaction: more than the reader's page, so a transaction spans pages. */
    @Test
    void should_deliver_a_large_sql_insert_and_a_bulk_jpql_update_of_it_in_order() throws Exception {
        long conversation = api.createConversation("bulk");
        int rows = 600;
        try (WsClient client = WsClient.connect(base); Connection sql = outside()) {
            client.subscribeConversation(conversation);
            try (PreparedStatement insert = sql.prepareStatement("INSERT INTO message (conversation_id, author, "
                    + "body, private, created_at, version) SELECT ?, 'sql', 'row ' || n, false, now(), 0 "
                    + "FROM generate_series(1, ?) AS n")) {
                insert.setLong(1, conversation);
                insert.setInt(2, rows);
                assertEquals(rows, insert.executeUpdate());
            }
            for (int i = 1; i <= rows; i++) {
                JsonObject event = client.next("change").getJsonObject("event");
                assertEquals("afterInsert", event.getString("type"));
                assertEquals("row " + i, event.getJsonObject("row").getString("body"));
            }
            assertEquals(String.valueOf(rows), probe("POST", "bulk/" + conversation + "?body=bulk").body());
            Set<Long> updated = new HashSet<>();
            for (int i = 0; i < rows; i++) {
                JsonObject event = client.next("change").getJsonObject("event");
                assertEquals("afterUpdate", event.getString("type"));
                assertEquals("bulk", event.getJsonObject("row").getString("body"));
                assertEquals(Set.of("body"), event.getJsonObject("previous").keySet());
                updated.add(event.getJsonObject("primaryKey").getJsonNumber("id").longValue());
            }
            assertEquals(rows, updated.size());
            client.expectSilence(QUIET);
        }
    }

    /**
     * 1,000 rows, each its own transaction, written by one connection while another terminates the listener's backend
     * seven times: every row arrives once, in commit order, at contiguous positions, and the metrics count the
     * reconnects and the rows read on catch-up.
     */
    @Test
    void should_deliver_every_row_in_commit_order_when_the_listener_backend_is_terminated_during_writes()
            throws Exception {
        long conversation = api.createConversation("killed");
        int rows = 1_000;
        Metrics before = Metrics.scrape(base);
        try (WsClient client = WsClient.connect(base); Connection sql = outside(); Connection killer = outside()) {
            client.subscribeConversation(conversation);
            int killed = 0;
            try (PreparedStatement insert = sql.prepareStatement("INSERT INTO message (conversation_id, author, "
                    + "body, private, created_at, version) VALUES (?, 'sql', ?, false, clock_timestamp(), 0)")) {
                for (int i = 1; i <= rows; i++) {
                    insert.setLong(1, conversation);
                    insert.setString(2, "k" + i);
                    insert.executeUpdate();
                    if (i % 140 == 70) {
                        killed += kill(killer); // waits for the listener to be back, then terminates it
                    }
                }
            }
            assertEquals(7, killed, "the listener's backend was found and terminated each time");
            long firstSeq = -1;
            String epoch = null;
            for (int i = 1; i <= rows; i++) {
                JsonObject frame = client.next("change");
                JsonObject event = frame.getJsonObject("event");
                assertEquals("afterInsert", event.getString("type"));
                assertEquals("k" + i, event.getJsonObject("row").getString("body"), "commit order");
                JsonObject position = frame.getJsonObject("position");
                if (i == 1) {
                    firstSeq = position.getJsonNumber("seq").longValue();
                    epoch = position.getString("epoch");
                }
                assertEquals(epoch, position.getString("epoch"), "one epoch: nothing was lost");
                assertEquals(firstSeq + i - 1, position.getJsonNumber("seq").longValue(), "contiguous positions");
            }
            client.expectSilence(QUIET);
        }
        Metrics after = Metrics.scrape(base);
        String all = after.rowcast();
        double reconnects = after.value("rowcast_capture_listener_reconnects_total", "")
                - before.value("rowcast_capture_listener_reconnects_total", "");
        double caughtUp = after.value("rowcast_capture_catch_up_rows_total", "")
                - before.value("rowcast_capture_catch_up_rows_total", "");
        assertEquals(7, reconnects, "one reconnect per terminated backend\n" + all);
        // each reconnect waits at least its 100 ms backoff while the writer goes on, so it has rows to catch up on
        assertTrue(caughtUp >= 7 && caughtUp <= rows, "rows read on catch-up: " + caughtUp + "\n" + all);
        assertTrue(after.value("rowcast_capture_lag_seconds_count", "")
                - before.value("rowcast_capture_lag_seconds_count", "") >= rows, "the lag, once per transaction\n"
                        + all);
    }

    /**
     * Waits until this database's listener is connected and listening, then terminates its backend. Only this
     * database's: other builds on the same server run listeners of their own.
     */
    private static int kill(Connection killer) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Statement statement = killer.createStatement(); ResultSet result = statement.executeQuery(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                            + "WHERE application_name = 'rowcast-outbox' AND datname = current_database() "
                            // past its first statement: its LISTEN is done, so the reader counted its reconnect
                            // (terminated between the two, it would reconnect once for two terminations)
                            + "AND query NOT LIKE 'SET application_name%'")) {
                result.next();
                if (result.getInt(1) > 0) {
                    return result.getInt(1);
                }
            }
            Thread.sleep(10);
        }
        return 0;
    }

    /** The application's own trigger, as an application with its own NOTIFY payloads has it; idempotent. */
    private static void installApplicationTrigger(Connection sql) throws SQLException {
        try (Statement statement = sql.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION it_decoded_note_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        PERFORM pg_notify('it_app_events', json_build_object('op', TG_OP,
                            'id', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
                            'before', CASE WHEN TG_OP = 'INSERT' THEN NULL
                                ELSE json_build_object('topic', OLD.topic, 'body', OLD.body) END)::text);
                        RETURN NULL;
                    END $$""");
            statement.execute("DROP TRIGGER IF EXISTS it_decoded_note_notify ON decoded_note");
            statement.execute("CREATE TRIGGER it_decoded_note_notify AFTER INSERT OR UPDATE OR DELETE ON decoded_note "
                    + "FOR EACH ROW EXECUTE FUNCTION it_decoded_note_notify()");
        }
    }

    /**
     * A decoder of the application's own payloads: insert, update (with previous), a scope move (leave and enter)
     * and delete arrive at contiguous positions, after payloads the decoder throws on (an exception, an Error),
     * returns null or garbage for,
     * or skips, or whose id (2^63) the database refuses; those are logged, and delivery goes on on the same
     * connection. Rowcast put no trigger of its own on the table.
     */
    @Test
    void should_deliver_what_a_notification_decoder_reads_and_survive_a_decoder_that_fails() throws Exception {
        long topic = System.nanoTime() % 1_000_000_000L;
        long moved = topic + 1;
        try (WsClient client = WsClient.connect(base); WsClient other = WsClient.connect(base);
                Connection sql = outside()) {
            installApplicationTrigger(sql);
            try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery(
                    "SELECT count(*) FROM pg_trigger WHERE tgname = 'rowcast_capture_decoded_note'")) {
                result.next();
                assertEquals(0, result.getInt(1), "Rowcast installs no trigger of its own on a decoded table");
            }
            client.subscribe("decoded_note", "topic", topic);
            other.subscribe("decoded_note", "topic", moved);
            long id;
            try (Statement statement = sql.createStatement()) {
                for (String payload : List.of("throw", "error", "null", "garbage", "huge", "skip", "{\"op\":\"INSERT\"}")) {
                    statement.execute("SELECT pg_notify('it_app_events', '" + payload.replace("'", "''") + "')");
                }
                try (ResultSet result = statement.executeQuery("INSERT INTO decoded_note (id, topic, body) VALUES "
                        + "((SELECT coalesce(max(id), 0) + 1 FROM decoded_note), " + topic + ", 'one') RETURNING id")) {
                    result.next();
                    id = result.getLong(1);
                }
            }
            JsonObject inserted = client.next("change");
            assertEquals("afterInsert", inserted.getJsonObject("event").getString("type"));
            assertEquals("one", inserted.getJsonObject("event").getJsonObject("row").getString("body"));
            assertEquals(id, inserted.getJsonObject("event").getJsonObject("primaryKey").getJsonNumber("id")
                    .longValue());
            long seq = inserted.getJsonObject("position").getJsonNumber("seq").longValue();

            try (Statement statement = sql.createStatement()) {
                statement.executeUpdate("UPDATE decoded_note SET body = 'two' WHERE id = " + id);
            }
            JsonObject updated = client.next("change");
            assertEquals(seq + 1, updated.getJsonObject("position").getJsonNumber("seq").longValue());
            assertEquals("afterUpdate", updated.getJsonObject("event").getString("type"));
            assertEquals("two", updated.getJsonObject("event").getJsonObject("row").getString("body"));
            assertEquals("one", updated.getJsonObject("event").getJsonObject("previous").getString("body"));

            try (Statement statement = sql.createStatement()) {
                statement.executeUpdate("UPDATE decoded_note SET topic = " + moved + " WHERE id = " + id);
            }
            JsonObject left = client.next("change");
            assertEquals(seq + 2, left.getJsonObject("position").getJsonNumber("seq").longValue());
            assertEquals("leave", left.getJsonObject("event").getString("type"));
            assertEquals("enter", other.next("change").getJsonObject("event").getString("type"));

            try (Statement statement = sql.createStatement()) {
                statement.executeUpdate("DELETE FROM decoded_note WHERE id = " + id);
            }
            JsonObject deleted = other.next("change").getJsonObject("event");
            assertEquals("afterDelete", deleted.getString("type"));
            assertEquals(moved, deleted.getJsonObject("row").getJsonNumber("topic").longValue());
            client.expectSilence(QUIET);
            other.expectSilence(QUIET);
        }
        String warnings = api.call("GET", "api/it/capture/decoder-warnings", null).body();
        assertTrue(warnings.contains("ROWCAST-070: notification decoder dev.rowcast.chat.it.probe.ProbeDecoder threw"),
                warnings);
        assertTrue(warnings.contains("ROWCAST-071: notification decoder dev.rowcast.chat.it.probe.ProbeDecoder "
                + "returned null"), warnings);
        assertTrue(warnings.contains("ROWCAST-073: the database refused the change notification decoder "
                + "dev.rowcast.chat.it.probe.ProbeDecoder returned (INSERT decoded_note id 9223372036854775808)"),
                warnings);
        assertFalse(warnings.contains("ROWCAST-072"), "a refused change costs its payload, not the connection: "
                + warnings);
    }

    /**
     * Rows pruned before this reader read them (as an application sharing the outbox with a shorter retention would
     * prune them): the reader cannot catch up, so the stream moves to a new epoch, its follower gets
     * replay_unavailable and a snapshot, and changes after the gap arrive. Nothing is silently missing.
     */
    @Test
    void should_reset_the_streams_when_rows_were_pruned_before_the_reader_read_them() throws Exception {
        long conversation = api.createConversation("pruned");
        try (WsClient client = WsClient.connect(base); Connection sql = outside()) {
            JsonObject snapshot = client.subscribeConversation(conversation);
            String epoch = snapshot.getJsonObject("position").getString("epoch");
            sql.setAutoCommit(false);
            try (Statement statement = sql.createStatement()) {
                // a row this reader never sees: written and pruned in one transaction, the mark raised past it
                statement.execute("INSERT INTO rowcast_outbox (id, txid, table_name, op, new_row) VALUES "
                        + "(nextval('rowcast_outbox_id_seq'), pg_current_xact_id(), 'message', 'I', "
                        + "jsonb_build_object('id', -1, 'conversation_id', " + conversation + "))");
                statement.execute("WITH gone AS (DELETE FROM rowcast_outbox WHERE id = currval('rowcast_outbox_id_seq') "
                        + "RETURNING id) UPDATE rowcast_outbox_pruned SET through = greatest(through, "
                        + "(SELECT max(id) FROM gone))");
            }
            sql.commit();
            sql.setAutoCommit(true);
            try (Statement statement = sql.createStatement()) {
                statement.executeUpdate("INSERT INTO message (conversation_id, author, body, private, created_at, "
                        + "version) VALUES (" + conversation + ", 'sql', 'after the gap', false, clock_timestamp(), 0)");
            }
            JsonObject reset = client.next("error");
            assertEquals("replay_unavailable", reset.getString("code"), reset.toString());
            assertEquals("message", reset.getString("channel"));
            assertFalse(reset.containsKey("id"), "unsolicited: " + reset);
            assertTrue(!epoch.equals(reset.getJsonObject("position").getString("epoch")), "a new epoch: " + reset);
            // then a snapshot of the new epoch, and the change after the gap in it or live after it
            List<String> frames = new ArrayList<>();
            while (frames.stream().noneMatch(frame -> frame.contains("after the gap"))) {
                JsonObject frame = client.nextOrNull(Duration.ofSeconds(10));
                assertTrue(frame != null, "the change after the gap arrives; frames since the reset: " + frames);
                frames.add(frame.toString());
            }
            assertTrue(frames.get(0).contains("\"type\":\"snapshot\""), "a snapshot first: " + frames);
        }
    }

    /** A table in a schema of its own: its trigger lands on that table, and its writes arrive. */
    @Test
    void should_capture_a_schema_qualified_table() throws Exception {
        long topic = System.nanoTime() % 1_000_000_000L;
        try (WsClient client = WsClient.connect(base); Connection sql = outside()) {
            try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery(
                    "SELECT count(*) FROM pg_trigger WHERE tgname = 'rowcast_capture_schema_note' "
                            + "AND tgrelid = 'rowcast_it.schema_note'::regclass")) {
                result.next();
                assertEquals(1, result.getInt(1), "the trigger is on rowcast_it.schema_note");
            }
            client.subscribe("schema_note", "topic", topic);
            try (Statement statement = sql.createStatement()) {
                statement.executeUpdate("INSERT INTO rowcast_it.schema_note (id, topic, body) VALUES ((SELECT "
                        + "coalesce(max(id), 0) + 1 FROM rowcast_it.schema_note), " + topic + ", 'in a schema')");
                statement.executeUpdate("UPDATE rowcast_it.schema_note SET body = 'moved on' WHERE topic = " + topic);
            }
            JsonObject inserted = client.next("change").getJsonObject("event");
            assertEquals("afterInsert", inserted.getString("type"));
            assertEquals("schema_note", inserted.getString("table"));
            assertEquals("in a schema", inserted.getJsonObject("row").getString("body"));
            JsonObject updated = client.next("change").getJsonObject("event");
            assertEquals("in a schema", updated.getJsonObject("previous").getString("body"));
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_join_snapshot_and_live_exactly_once_while_sql_inserts_race_the_subscription() throws Exception {
        long conversation = api.createConversation("sql race");
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> inserts = writer.submit(() -> {
            try (Connection sql = outside(); PreparedStatement insert = sql.prepareStatement("INSERT INTO message "
                    + "(conversation_id, author, body, private, created_at, version) "
                    + "VALUES (?, 'sql', ?, false, clock_timestamp(), 0)")) {
                for (int i = 0; i < 90; i++) {
                    insert.setLong(1, conversation);
                    insert.setString(2, "race " + i);
                    insert.executeUpdate();
                    Thread.sleep(5);
                }
            }
            return null;
        });
        List<ClientView> views = new ArrayList<>();
        List<WsClient> clients = new ArrayList<>();
        List<List<String>> seen = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Thread.sleep(60);
                WsClient client = WsClient.connect(base);
                clients.add(client);
                client.send(WsClient.subscribeConversationFrame(conversation, null));
                views.add(new ClientView());
                seen.add(new ArrayList<>());
            }
            inserts.get(120, TimeUnit.SECONDS);
            for (int i = 0; i < clients.size(); i++) {
                drain(clients.get(i), views.get(i), seen.get(i));
            }
            Reply reply = api.call("GET", "api/conversations/" + conversation + "/messages", null);
            Set<Long> committed = new HashSet<>();
            ((JsonArray) reply.json()).forEach(row -> committed.add(row.asJsonObject().getJsonNumber("id")
                    .longValue()));
            assertEquals(90, committed.size());
            for (int i = 0; i < views.size(); i++) {
                ClientView view = views.get(i);
                assertEquals(List.of(), view.violations(), "no gap, no duplicate");
                assertEquals(committed, view.rows().keySet(), "every insert exactly once, in snapshot or after; "
                        + "client " + i + " saw " + seen.get(i));
            }
        } finally {
            writer.shutdownNow();
            clients.forEach(WsClient::close);
        }
    }

    private static void drain(WsClient client, ClientView view, List<String> seen) {
        for (JsonObject frame = client.nextOrNull(Duration.ofSeconds(2)); frame != null;
                frame = client.nextOrNull(Duration.ofSeconds(2))) {
            view.accept(frame);
            seen.add(frame.getString("type") + (frame.containsKey("code") ? ":" + frame.getString("code") : "")
                    + (frame.containsKey("rows") ? ":" + frame.getJsonArray("rows").size() : ""));
        }
    }

    /** The event of both frames, which must be equal in every field; the frames differ only in channel and position. */
    private static JsonObject sameEvent(JsonObject fromTrigger, JsonObject fromJpa) {
        assertEquals("message", fromTrigger.getString("channel"));
        assertEquals("message_jpa", fromJpa.getString("channel"));
        assertEquals(fromJpa.getJsonObject("scope"), fromTrigger.getJsonObject("scope"));
        JsonObject event = fromTrigger.getJsonObject("event");
        JsonObject expected = fromJpa.getJsonObject("event");
        assertEquals(expected.keySet(), event.keySet(), "same members: " + event + " vs " + expected);
        for (String member : expected.keySet()) {
            assertEquals(expected.get(member), event.get(member), member + " of " + event + " vs " + expected);
        }
        assertFalse(fromTrigger.containsKey("events"));
        return event;
    }

    private Reply probe(String method, String path) {
        Reply reply = api.call(method, "api/it/capture/" + path, null);
        assertTrue(reply.status() / 100 == 2, method + " " + path + ": " + reply.status() + " " + reply.body());
        return reply;
    }
}
