package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.LeakAudit;
import dev.rowcast.chat.it.support.LeakAudit.Audited;
import dev.rowcast.chat.it.support.Postgres;

/**
 * SecurityIT's per-row scenarios with every write made by plain JDBC on PostgreSQL (-Ppostgres only), the tables
 * captured from the database: hidden rows at contiguous positions, replay and snapshots that hide them too, a
 * throwing filter that fails closed for one subscriber, and redaction of an admin-only column in rows, previous
 * values and snapshots. The same oracle ({@link LeakAudit}) audits every frame and must find no leak.
 */
class CaptureSecurityIT extends DeployedChat {

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final LeakAudit AUDIT = new LeakAudit();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForCaptureSecurity();
    }

    @AfterAll
    static void no_unauthorized_frame_arrived_anywhere_in_the_suite() {
        assertTrue(AUDIT.audited() > 10, "the audit saw frames: " + AUDIT.audited());
        assertEquals(List.of(), AUDIT.leaks(), "unauthorized frames");
    }

    @Test
    void should_never_send_a_private_row_written_by_sql_to_anyone_but_its_author_and_admins() throws Exception {
        long conversation = api.createConversation("private by sql");
        api.addMember(conversation, "bob");
        try (Audited author = connect("alice"); Audited bob = connect("bob"); Audited admin = connect("admin");
                Audited eve = connect("eve"); Connection sql = Postgres.outside()) {
            author.client.subscribeConversation(conversation);
            JsonObject bobSnapshot = bob.client.subscribeConversation(conversation);
            admin.client.subscribeConversation(conversation);
            assertEquals("forbidden", eve.client.request("{\"type\":\"subscribe\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":" + conversation + "}}").getString("code"));

            insertMessage(sql, conversation, "alice", "secret plan", true);
            assertEquals("secret plan", body(author.client.next("change")));
            assertEquals("secret plan", body(admin.client.next("change")));
            JsonObject hidden = bob.client.next("change");
            assertEquals(Set.of("type"), hidden.getJsonObject("event").keySet(), "nothing of the row: " + hidden);
            assertEquals("hidden", hidden.getJsonObject("event").getString("type"));
            long hiddenSeq = hidden.getJsonObject("position").getJsonNumber("seq").longValue();
            assertEquals(bobSnapshot.getJsonObject("position").getJsonNumber("seq").longValue() + 1, hiddenSeq,
                    "positions stay contiguous for bob");

            insertMessage(sql, conversation, "alice", "public news", false);
            JsonObject news = bob.client.next("change");
            assertEquals("public news", body(news));
            assertEquals(hiddenSeq + 1, news.getJsonObject("position").getJsonNumber("seq").longValue());
            eve.client.expectSilence(QUIET);

            String beforePrivate = bobSnapshot.getJsonObject("position").toString();
            try (Audited again = connect("bob")) {
                again.client.request("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":"
                        + "\"conversation_id\",\"value\":" + conversation + "},\"from\":" + beforePrivate + "}");
                assertEquals("hidden", again.client.next("change").getJsonObject("event").getString("type"),
                        "replay hides it too");
                assertEquals("public news", body(again.client.next("change")));
            }
            try (Audited fresh = connect("bob")) {
                JsonObject snapshot = fresh.client.subscribeConversation(conversation);
                assertEquals(List.of("public news"), snapshot.getJsonArray("rows").stream()
                        .map(row -> row.asJsonObject().getString("body")).toList(), "the snapshot hides it too");
            }
            try (Audited secondAdmin = connect("admin")) {
                assertEquals(2, secondAdmin.client.subscribeConversation(conversation).getJsonArray("rows").size(),
                        "an admin sees both");
            }
        }
    }

    @Test
    void should_hide_a_row_written_by_sql_only_from_the_subscriber_whose_filter_throws() throws Exception {
        long conversation = api.createConversation("boom by sql");
        api.addMember(conversation, "bob");
        try (Audited author = connect("alice"); Audited bob = connect("bob"); Connection sql = Postgres.outside()) {
            author.client.subscribeConversation(conversation);
            bob.client.subscribeConversation(conversation);
            insertMessage(sql, conversation, "alice", "boom", false);
            assertEquals("boom", body(author.client.next("change")), "other subscribers are unaffected");
            assertEquals("hidden", bob.client.next("change").getJsonObject("event").getString("type"),
                    "fail-closed for the subscriber whose filter threw");
            insertMessage(sql, conversation, "alice", "calm", false);
            assertEquals("calm", body(bob.client.next("change")));
        }
    }

    @Test
    void should_redact_an_admin_only_column_of_rows_written_by_sql() throws Exception {
        long topic = System.nanoTime() % 1_000_000_000L;
        try (Audited user = connect("alice"); Audited admin = connect("admin"); Connection sql = Postgres.outside()) {
            for (Audited viewer : List.of(user, admin)) {
                viewer.client.subscribe("secret_note", "topic", topic);
                viewer.client.next("snapshot");
            }
            long id;
            try (PreparedStatement insert = sql.prepareStatement("INSERT INTO secret_note (topic, text, secret) "
                    + "VALUES (?, 'hello', 's3cret') RETURNING id")) {
                insert.setLong(1, topic);
                try (ResultSet result = insert.executeQuery()) {
                    result.next();
                    id = result.getLong(1);
                }
            }
            JsonObject seenByUser = user.client.next("change").getJsonObject("event").getJsonObject("row");
            assertEquals("hello", seenByUser.getString("text"));
            assertFalse(seenByUser.containsKey("secret"), "redacted for a user: " + seenByUser);
            assertEquals("s3cret", admin.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("secret"));

            try (PreparedStatement update = sql.prepareStatement("UPDATE secret_note SET text = 'bye', "
                    + "secret = 'other' WHERE id = ?")) {
                update.setLong(1, id);
                update.executeUpdate();
            }
            JsonObject update = user.client.next("change").getJsonObject("event");
            assertFalse(update.getJsonObject("row").containsKey("secret"));
            assertFalse(update.getJsonObject("previous").containsKey("secret"), "no previous value either");
            assertFalse(update.getJsonArray("changed").toString().contains("secret"));
            assertEquals("hello", update.getJsonObject("previous").getString("text"));
            assertEquals("s3cret", admin.client.next("change").getJsonObject("event").getJsonObject("previous")
                    .getString("secret"));
            try (Audited late = connect("alice")) {
                late.client.subscribe("secret_note", "topic", topic);
                JsonObject row = late.client.next("snapshot").getJsonArray("rows").getJsonObject(0);
                assertEquals("bye", row.getString("text"));
                assertFalse(row.containsKey("secret"), "the snapshot is redacted too");
            }
        }
    }

    private static void insertMessage(Connection sql, long conversation, String author, String body,
            boolean secret) throws SQLException {
        try (PreparedStatement insert = sql.prepareStatement("INSERT INTO message (conversation_id, author, body, "
                + "private, created_at, version) VALUES (?, ?, ?, ?, clock_timestamp(), 0)")) {
            insert.setLong(1, conversation);
            insert.setString(2, author);
            insert.setString(3, body);
            insert.setBoolean(4, secret);
            insert.executeUpdate();
        }
    }

    private static String body(JsonObject frame) {
        return frame.getJsonObject("event").getJsonObject("row").getString("body");
    }

    private Audited connect(String user) {
        return AUDIT.connect(api, base, user);
    }
}
