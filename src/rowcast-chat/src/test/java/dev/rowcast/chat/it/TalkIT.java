package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Clients that talk back, over real sockets: presence, broadcasts, proposals and groups, with every new frame and
 * error code (docs/protocol.md, "Talking back").
 */
class TalkIT extends DeployedChat {

    private static final Duration QUIET = Duration.ofMillis(500);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForTalk();
    }

    private static String stream(long conversation) {
        return "\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":" + conversation + "}";
    }

    private static JsonObject join(WsClient client, long conversation) {
        return client.request("{\"type\":\"join\",\"id\":\"j\"," + stream(conversation) + "}");
    }

    private long sharedConversation(String title) {
        long conversation = api.createConversation(title);
        api.addMember(conversation, "bob");
        return conversation;
    }

    @Test
    void should_count_a_user_in_two_tabs_once_and_let_them_leave_with_the_last_tab() {
        long conversation = sharedConversation("presence");
        try (WsClient bob = WsClient.connect(base, "bob"); WsClient tab1 = WsClient.connect(base, "alice");
                WsClient tab2 = WsClient.connect(base, "alice")) {
            for (WsClient client : List.of(bob, tab1, tab2)) {
                client.subscribeConversation(conversation);
            }
            JsonObject alone = join(bob, conversation);
            assertEquals("presence", alone.getString("type"));
            assertEquals("j", alone.getString("id"));
            assertEquals(1, alone.getJsonArray("members").size());
            assertEquals("B", alone.getJsonArray("members").getJsonObject(0).getJsonObject("fields")
                    .getString("initial"), "the application's fields: " + alone);

            JsonObject both = join(tab1, conversation);
            assertEquals(2, both.getJsonArray("members").size(), both.toString());
            JsonObject joined = bob.next("joined");
            assertEquals("alice", joined.getJsonObject("member").getString("user"));
            assertEquals(conversation, joined.getJsonObject("scope").getJsonNumber("value").longValue());

            assertEquals(2, join(tab2, conversation).getJsonArray("members").size(), "alice counts once");
            bob.expectSilence(QUIET); // no second joined for her second tab

            JsonObject leftReply = tab1.request("{\"type\":\"leave\",\"id\":\"l\"," + stream(conversation) + "}");
            assertEquals("left", leftReply.getString("type"));
            assertEquals("l", leftReply.getString("id"));
            bob.expectSilence(QUIET); // she is still there in her other tab

            tab2.close(); // the last tab goes
            JsonObject left = bob.next("left");
            assertEquals("alice", left.getString("user"));
            assertFalse(left.containsKey("id"));
        }
    }

    @Test
    void should_expire_the_presence_of_a_dropped_connection() throws Exception {
        long conversation = sharedConversation("dropped");
        try (WsClient alice = WsClient.connect(base, "alice"); RawSocket bob = RawSocket.connect(base, "bob")) {
            alice.subscribeConversation(conversation);
            join(alice, conversation);
            bob.sendText(WsClient.subscribeConversationFrame(conversation, null));
            assertTrue(bob.readText().contains("\"subscribed\""));
            bob.sendText("{\"type\":\"join\"," + stream(conversation) + "}");
            String frame;
            do {
                frame = bob.readText();
            } while (!frame.contains("\"presence\""));
            assertEquals("bob", alice.next("joined").getJsonObject("member").getString("user"));
            // bob's machine goes away: it never answers another ping, and the server notices within its timeout
            JsonObject left = alice.next("left");
            assertEquals("bob", left.getString("user"));
        }
    }

    @Test
    void should_refuse_presence_and_broadcasts_on_streams_the_socket_does_not_follow() {
        long conversation = sharedConversation("not subscribed");
        try (WsClient eve = WsClient.connect(base, "eve")) {
            assertEquals("not_subscribed", join(eve, conversation).getString("code"));
            JsonObject refused = eve.request("{\"type\":\"broadcast\",\"id\":7," + stream(conversation)
                    + ",\"event\":\"typing\",\"data\":true}");
            assertEquals("not_subscribed", refused.getString("code"));
            assertEquals(7, refused.getInt("id"));
            assertEquals("invalid_message", eve.request("{\"type\":\"broadcast\",\"id\":8," + stream(conversation)
                    + "}").getString("code"), "event is required");
        }
    }

    @Test
    void should_stamp_the_sender_throttle_and_always_deliver_the_last_value() {
        long conversation = sharedConversation("broadcast");
        try (WsClient alice = WsClient.connect(base, "alice"); WsClient bob = WsClient.connect(base, "bob")) {
            alice.subscribeConversation(conversation);
            bob.subscribeConversation(conversation);
            for (int i = 1; i <= 10; i++) {
                alice.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"cursor\",\"data\":{\"x\":"
                        + i + "},\"from\":{\"user\":\"mallory\"}}");
            }
            JsonObject first = bob.next("broadcast");
            assertEquals(1, first.getJsonObject("data").getInt("x"), "the leading edge at once");
            assertEquals("cursor", first.getString("event"));
            assertEquals("alice", first.getJsonObject("from").getString("user"), "the server's name, not the forged one");
            JsonObject last = bob.next("broadcast");
            assertEquals(10, last.getJsonObject("data").getInt("x"), "the trailing edge carries the last value");
            bob.expectSilence(QUIET);
            alice.expectSilence(Duration.ofMillis(100)); // not echoed to the sender

            alice.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"note\",\"data\":\"shaped by the app\"}");
            assertEquals("shape", bob.next("broadcast").getString("data"), "the policy shaped it");
            JsonObject dropped = alice.request("{\"type\":\"broadcast\",\"id\":\"s\"," + stream(conversation)
                    + ",\"event\":\"shout\",\"data\":1}");
            assertEquals("forbidden", dropped.getString("code"), "the policy vetoed it");
            JsonObject big = alice.request("{\"type\":\"broadcast\",\"id\":\"b\"," + stream(conversation)
                    + ",\"event\":\"paste\",\"data\":\"" + "x".repeat(600) + "\"}");
            assertEquals("too_large", big.getString("code"));
            bob.expectSilence(QUIET);
        }
    }

    @Test
    void should_let_a_cdi_observer_veto_or_replace_a_broadcast_and_survive_an_observer_that_throws() {
        long conversation = sharedConversation("observed");
        try (WsClient alice = WsClient.connect(base, "alice"); WsClient bob = WsClient.connect(base, "bob")) {
            alice.subscribeConversation(conversation);
            bob.subscribeConversation(conversation);
            alice.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"stamp\",\"data\":[1,2]}");
            JsonObject stamped = bob.next("broadcast");
            assertEquals("[1,2]", stamped.getJsonObject("data").get("was").toString(), stamped.toString());
            assertEquals("a", stamped.getJsonObject("data").getString("by"), "the observer's replacement arrives");
            assertEquals("alice", stamped.getJsonObject("from").getString("user"));

            JsonObject muted = alice.request("{\"type\":\"broadcast\",\"id\":\"m\"," + stream(conversation)
                    + ",\"event\":\"mute\",\"data\":true}");
            assertEquals("forbidden", muted.getString("code"), "vetoed by the observer");
            assertEquals("m", muted.getString("id"));
            JsonObject boom = alice.request("{\"type\":\"broadcast\",\"id\":\"x\"," + stream(conversation)
                    + ",\"event\":\"boom\",\"data\":true}");
            assertEquals("forbidden", boom.getString("code"), "an observer that throws drops the broadcast");
            bob.expectSilence(QUIET);

            alice.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"typing\",\"data\":true}");
            JsonObject after = bob.next("broadcast");
            assertEquals("typing", after.getString("event"), "later broadcasts still flow");
            assertTrue(after.getBoolean("data"));
        }
    }

    @Test
    void should_commit_a_proposal_and_send_its_result_after_the_change_it_caused() {
        long conversation = sharedConversation("proposal");
        try (WsClient alice = WsClient.connect(base, "alice"); WsClient bob = WsClient.connect(base, "bob")) {
            alice.subscribeConversation(conversation);
            bob.subscribeConversation(conversation);
            alice.send("{\"type\":\"propose\",\"id\":\"p1\",\"name\":\"message.create\",\"payload\":"
                    + "{\"conversationId\":" + conversation + ",\"body\":\"proposed hello\",\"private\":false}}");
            JsonObject change = alice.next("change");
            JsonObject row = change.getJsonObject("event").getJsonObject("row");
            assertEquals("proposed hello", row.getString("body"));
            assertEquals("alice", row.getString("author"));
            JsonObject result = alice.next("proposed");
            assertEquals("p1", result.getString("id"));
            assertEquals(row.getJsonNumber("id").longValue(), result.getJsonObject("value").getJsonNumber("id")
                    .longValue(), "the result names the row its change carried");
            assertEquals("proposed hello", bob.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"));
        }
    }

    @Test
    void should_roll_back_invalid_and_failing_proposals_without_leaking_anything() {
        long conversation = sharedConversation("rollback");
        try (WsClient alice = WsClient.connect(base, "alice"); WsClient bob = WsClient.connect(base, "bob")) {
            alice.subscribeConversation(conversation);
            bob.subscribeConversation(conversation);
            JsonObject invalid = alice.request("{\"type\":\"propose\",\"id\":1,\"name\":\"message.create\","
                    + "\"payload\":{\"conversationId\":" + conversation + ",\"body\":\"  \"}}");
            assertEquals("invalid_proposal", invalid.getString("code"), invalid.toString());
            assertEquals("body", invalid.getJsonArray("violations").getJsonObject(0).getString("path"));
            JsonObject shapeless = alice.request("{\"type\":\"propose\",\"id\":2,\"name\":\"message.create\","
                    + "\"payload\":{\"conversationId\":\"not a number\",\"body\":\"x\"}}");
            assertEquals("invalid_proposal", shapeless.getString("code"), shapeless.toString());

            JsonObject failed = alice.request("{\"type\":\"propose\",\"id\":3,\"name\":\"probe.fail\",\"payload\":"
                    + conversation + "}");
            assertEquals("proposal_failed", failed.getString("code"));
            assertFalse(failed.toString().contains("secret") || failed.toString().contains("Exception"),
                    "no exception reaches the client: " + failed);
            bob.expectSilence(QUIET); // nothing was committed, so nothing was sent
            assertEquals(0, api.call("GET", "api/conversations/" + conversation + "/messages", null).json()
                    .asJsonArray().size(), "the flushed row was rolled back");
        }
    }

    @Test
    void should_refuse_unknown_unauthorized_and_malformed_proposals_with_clear_codes() {
        long conversation = api.createConversation("alice only");
        try (WsClient bob = WsClient.connect(base, "bob"); WsClient eve = WsClient.connect(base, "eve")) {
            List<String> codes = new ArrayList<>();
            codes.add(bob.request("{\"type\":\"propose\",\"id\":1,\"name\":\"message.nope\"}").getString("code"));
            codes.add(bob.request("{\"type\":\"propose\",\"id\":2,\"name\":\"probe.admin\",\"payload\":{}}")
                    .getString("code"));
            JsonObject notMember = bob.request("{\"type\":\"propose\",\"id\":3,\"name\":\"message.create\","
                    + "\"payload\":{\"conversationId\":" + conversation + ",\"body\":\"let me in\"}}");
            codes.add(notMember.getString("code"));
            codes.add(eve.request("{\"type\":\"propose\",\"id\":4,\"name\":\"message.create\",\"payload\":"
                    + "{\"conversationId\":" + conversation + ",\"body\":\"x\"}}").getString("code"));
            codes.add(bob.request("{\"type\":\"propose\",\"name\":\"message.create\"}").getString("code"));
            assertEquals(List.of("unknown_proposal", "forbidden", "proposal_refused", "forbidden", "invalid_message"),
                    codes);
            assertEquals("not_member", notMember.getString("reason"));
        }
        try (WsClient admin = WsClient.connect(base, "admin")) {
            JsonObject done = admin.request("{\"type\":\"propose\",\"id\":\"a\",\"name\":\"probe.admin\",\"payload\":{}}");
            assertEquals("proposed", done.getString("type"), done.toString());
            assertEquals("done", done.getString("value"));
        }
    }

    @Test
    void should_hold_a_groups_member_limit_and_broadcast_to_its_members() {
        String table = "\"channel\":\"table\",\"scope\":{\"col\":\"name\",\"value\":\"t-" + System.nanoTime() + "\"}";
        try (WsClient alice = WsClient.connect(base, "alice"); WsClient bob = WsClient.connect(base, "bob");
                WsClient eve = WsClient.connect(base, "eve")) {
            for (WsClient client : List.of(alice, bob, eve)) {
                JsonObject subscribed = client.request("{\"type\":\"subscribe\"," + table + "}");
                assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
            }
            assertEquals("presence", alice.request("{\"type\":\"join\"," + table + "}").getString("type"));
            assertEquals(2, bob.request("{\"type\":\"join\"," + table + "}").getJsonArray("members").size());
            assertEquals("bob", alice.next("joined").getJsonObject("member").getString("user"));
            JsonObject full = eve.request("{\"type\":\"join\",\"id\":\"e\"," + table + "}");
            assertEquals("full", full.getString("code"));
            bob.send("{\"type\":\"broadcast\"," + table + ",\"event\":\"move\",\"data\":\"e4\"}");
            assertEquals("e4", alice.next("broadcast").getString("data"));
            assertEquals("e4", eve.next("broadcast").getString("data"), "broadcasts reach the group's subscribers");
            JsonObject list = alice.request("{\"type\":\"join\"," + table + "}");
            assertEquals(2, list.getJsonArray("members").size(), "joining again lists the members");
            assertNull(alice.nextOrNull(Duration.ofMillis(200)));
        }
    }
}
