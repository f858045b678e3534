package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.probe.ProbeReplayStore;
import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.ChatApi.Reply;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.WsClient;

/**
 * The core guarantee, end to end on Payara Micro with real sockets: committed changes reach exactly the subscribers
 * of their scope, once; rolled-back work reaches nobody. Runs on H2, and on PostgreSQL with -Ppostgres.
 */
class ChangeDeliveryIT extends DeployedChat {

    /** How long "nothing arrives" is watched when the issue sets no window. */
    private static final Duration QUIET = Duration.ofMillis(400);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarWithProbes();
    }


    @Test
    void should_deliver_insert_update_and_delete_once_to_the_scope_subscribers_and_nobody_else() {
        long a = api.createConversation("a");
        long b = api.createConversation("b");
        try (WsClient first = WsClient.connect(base); WsClient second = WsClient.connect(base);
                WsClient other = WsClient.connect(base)) {
            first.subscribeConversation(a);
            second.subscribeConversation(a);
            other.subscribeConversation(b);

            JsonObject posted = api.postMessage(a, "hello");
            long id = posted.getJsonNumber("id").longValue();
            for (WsClient client : List.of(first, second)) {
                JsonObject frame = client.next("change");
                assertEquals("message", frame.getString("channel"));
                assertEquals("conversation_id", frame.getJsonObject("scope").getString("col"));
                assertEquals(a, frame.getJsonObject("scope").getJsonNumber("value").longValue());
                JsonObject event = frame.getJsonObject("event");
                assertEquals("afterInsert", event.getString("type"));
                assertEquals("message", event.getString("table"));
                assertEquals(id, event.getJsonObject("primaryKey").getJsonNumber("id").longValue());
                JsonObject row = event.getJsonObject("row");
                assertEquals(Set.of("id", "conversation_id", "author", "body", "private", "created_at", "version"),
                        row.keySet());
                assertEquals(id, row.getJsonNumber("id").longValue());
                assertEquals(a, row.getJsonNumber("conversation_id").longValue());
                assertEquals("alice", row.getString("author"), "the author is the authenticated caller");
                assertEquals("hello", row.getString("body"));
                assertFalse(row.getBoolean("private"));
                assertEquals(posted.getString("createdAt"), row.getString("created_at"));
                assertFalse(event.containsKey("changed"), "an insert has no diff");
            }

            assertEquals(200, api.call("PUT", "api/messages/" + id, "{\"body\":\"edited\"}").status());
            for (WsClient client : List.of(first, second)) {
                JsonObject event = client.next("change").getJsonObject("event");
                assertEquals("afterUpdate", event.getString("type"));
                assertEquals("edited", event.getJsonObject("row").getString("body"));
            }

            assertEquals(204, api.call("DELETE", "api/messages/" + id, null).status());
            for (WsClient client : List.of(first, second)) {
                JsonObject event = client.next("change").getJsonObject("event");
                assertEquals("afterDelete", event.getString("type"));
                assertEquals(id, event.getJsonObject("primaryKey").getJsonNumber("id").longValue());
                JsonObject lastState = event.getJsonObject("row");
                assertEquals(a, lastState.getJsonNumber("conversation_id").longValue(), "scope value of a delete");
                assertEquals("edited", lastState.getString("body"), "a delete carries the row's last state");
            }

            first.expectSilence(QUIET);
            second.expectSilence(QUIET);
            other.expectSilence(QUIET);
        }
    }

    @Test
    void should_list_exactly_the_changed_columns_with_previous_values_and_send_nothing_for_a_no_op_update() {
        long conversation = api.createConversation("diff");
        long id = api.postMessage(conversation, "before").getJsonNumber("id").longValue();
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);

            assertEquals(200, api.call("PUT", "api/messages/" + id, "{\"body\":\"before\"}").status());
            client.expectSilence(Duration.ofSeconds(1));

            assertEquals(200, api.call("PUT", "api/messages/" + id, "{\"body\":\"after\"}").status());
            JsonObject event = client.next("change").getJsonObject("event");
            assertEquals("afterUpdate", event.getString("type"));
            assertEquals(Set.of("body", "version"), Set.copyOf(event.getJsonArray("changed")
                    .getValuesAs(JsonValue::toString).stream().map(s -> s.replace("\"", "")).toList()));
            assertEquals(Set.of("body", "version"), event.getJsonObject("previous").keySet());
            assertEquals("before", event.getJsonObject("previous").getString("body"));
            assertEquals(event.getJsonObject("previous").getInt("version") + 1,
                    event.getJsonObject("row").getInt("version"));
            assertEquals("after", event.getJsonObject("row").getString("body"));
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_tell_the_old_scope_only_that_a_message_left_and_the_new_scope_only_its_new_state() {
        long from = api.createConversation("from");
        long to = api.createConversation("to");
        long id = api.postMessage(from, "travelling").getJsonNumber("id").longValue();
        try (WsClient oldScope = WsClient.connect(base); WsClient newScope = WsClient.connect(base)) {
            oldScope.subscribeConversation(from);
            newScope.subscribeConversation(to);

            // edited and moved in one request: the old scope must not learn the new text or where it went
            assertEquals(200, api.call("PUT", "api/messages/" + id,
                    "{\"body\":\"arrived\",\"conversationId\":" + to + "}").status());

            JsonObject left = oldScope.next("change");
            assertEquals(from, left.getJsonObject("scope").getJsonNumber("value").longValue());
            JsonObject leave = left.getJsonObject("event");
            assertEquals("leave", leave.getString("type"), "the old scope learns the row left");
            assertEquals(id, leave.getJsonObject("primaryKey").getJsonNumber("id").longValue());
            assertEquals("travelling", leave.getJsonObject("row").getString("body"), "the row as it knew it");
            assertEquals(from, leave.getJsonObject("row").getJsonNumber("conversation_id").longValue());
            assertFalse(left.toString().contains("arrived"), "nothing of the new state: " + left);
            assertFalse(leave.containsKey("previous") || leave.containsKey("changed"), left.toString());

            JsonObject entered = newScope.next("change");
            assertEquals(to, entered.getJsonObject("scope").getJsonNumber("value").longValue());
            JsonObject enter = entered.getJsonObject("event");
            assertEquals("enter", enter.getString("type"), "the new scope gets the row");
            assertEquals("arrived", enter.getJsonObject("row").getString("body"));
            assertEquals(to, enter.getJsonObject("row").getJsonNumber("conversation_id").longValue());
            assertFalse(entered.toString().contains("travelling"), "nothing of the old state: " + entered);
            assertFalse(enter.containsKey("previous") || enter.containsKey("changed"), entered.toString());
            oldScope.expectSilence(QUIET);
            newScope.expectSilence(QUIET);
        }
    }

    @Test
    void should_send_nothing_for_a_rolled_back_jta_batch_and_deliver_the_next_commit() {
        long conversation = api.createConversation("jta");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);

            Reply rejected = api.call("POST", "api/conversations/" + conversation + "/messages/batch",
                    "[{\"body\":\"one\"},{\"body\":\"two\"},{\"body\":\"  \"}]");
            assertEquals(400, rejected.status(), rejected.body());
            client.expectSilence(Duration.ofSeconds(2));
            assertEquals(0, messages(conversation).size(), "the batch must have been rolled back");

            Reply accepted = api.call("POST", "api/conversations/" + conversation + "/messages/batch",
                    "[{\"body\":\"three\"},{\"body\":\"four\"}]");
            assertEquals(201, accepted.status(), accepted.body());
            assertEquals("three", client.next("change").getJsonObject("event").getJsonObject("row").getString("body"));
            assertEquals("four", client.next("change").getJsonObject("event").getJsonObject("row").getString("body"));
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_send_nothing_for_a_rolled_back_resource_local_transaction_and_deliver_the_next_commit() {
        long conversation = api.createConversation("local");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);

            Reply rejected = api.call("POST", "api/it/local/" + conversation + "/batch",
                    "[{\"body\":\"one\"},{\"body\":\"two\"},{\"body\":\"\"}]");
            assertEquals(400, rejected.status(), rejected.body());
            client.expectSilence(Duration.ofSeconds(2));
            assertEquals(0, messages(conversation).size(), "the local transaction must have been rolled back");

            Reply accepted = api.call("POST", "api/it/local/" + conversation + "/batch", "[{\"body\":\"kept\"}]");
            assertEquals(201, accepted.status(), accepted.body());
            JsonObject event = client.next("change").getJsonObject("event");
            assertEquals("afterInsert", event.getString("type"));
            assertEquals("kept", event.getJsonObject("row").getString("body"));
            assertEquals("local", event.getJsonObject("row").getString("author"));
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_call_application_observers_after_commit_only_and_off_the_committing_thread() throws Exception {
        long conversation = api.createConversation("observed");
        assertEquals(400, api.call("POST", "api/conversations/" + conversation + "/messages/batch",
                "[{\"body\":\"rolled back\"},{\"body\":\"\"}]").status());
        assertEquals(400, api.call("POST", "api/it/local/" + conversation + "/batch",
                "[{\"body\":\"rolled back locally\"},{\"body\":\"\"}]").status(), "RESOURCE_LOCAL too");
        long id = api.postMessage(conversation, "committed").getJsonNumber("id").longValue();

        JsonArray observed = JsonValue.EMPTY_JSON_ARRAY;
        for (int attempt = 0; attempt < 50 && observed.isEmpty(); attempt++) {
            Thread.sleep(100);
            observed = (JsonArray) api.call("GET", "api/it/observed?conversation=" + conversation, null).json();
        }
        Thread.sleep(QUIET.toMillis()); // let a wrongly delivered rollback show up too
        observed = (JsonArray) api.call("GET", "api/it/observed?conversation=" + conversation, null).json();
        assertEquals(1, observed.size(), "only the committed insert: " + observed);
        JsonObject only = observed.getJsonObject(0);
        assertEquals("afterInsert", only.getString("type"));
        assertEquals(id, only.getJsonNumber("id").longValue());
        assertTrue(only.getString("thread").startsWith("rowcast-dispatch"), only.getString("thread"));
    }

    @Test
    void should_keep_positions_and_replay_in_the_applications_own_replay_store() {
        long conversation = api.createConversation("own store");
        String from;
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "one");
            JsonObject first = client.next("change");
            assertEquals(ProbeReplayStore.EPOCH, first.getJsonObject("position").getString("epoch"),
                    "positions come from the application's ReplayStore bean");
            from = first.getJsonObject("position").toString();
        }
        api.postMessage(conversation, "two");
        try (WsClient client = WsClient.connect(base)) {
            client.send(WsClient.subscribeConversationFrame(conversation, from));
            assertEquals("subscribed", client.next().getString("type"));
            JsonObject replayed = client.next("change");
            assertTrue(replayed.getBoolean("replayed", false), replayed.toString());
            assertEquals("two", replayed.getJsonObject("event").getJsonObject("row").getString("body"));
            client.expectSilence(QUIET);
        }
    }

    private JsonArray messages(long conversation) {
        Reply reply = api.call("GET", "api/conversations/" + conversation + "/messages", null);
        assertEquals(200, reply.status(), reply.body());
        return (JsonArray) reply.json();
    }
}
