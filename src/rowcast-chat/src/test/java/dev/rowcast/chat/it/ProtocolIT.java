package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Protocol v1 over real sockets: every error code, hostile frames, idempotent subscribe, unsubscribe. After every
 * error the same socket must still work, which {@link #assertStillWorks} proves with a real change.
 */
class ProtocolIT extends DeployedChat {

    private static final Duration QUIET = Duration.ofMillis(400);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWar();
    }


    record Case(String frame, String code) {
    }

    @Test
    void should_answer_every_bad_frame_with_its_error_code_and_keep_the_socket_working() {
        long conversation = api.createConversation("errors");
        try (WsClient client = WsClient.connect(base)) {
            Stream.of(
                    new Case("{not json", "invalid_json"),
                    new Case("", "invalid_json"),
                    new Case("[1,2,3]", "invalid_message"),
                    new Case("42", "invalid_message"),
                    new Case("\"subscribe\"", "invalid_message"),
                    new Case("null", "invalid_message"),
                    new Case("{}", "invalid_message"),
                    new Case("{\"type\":7}", "invalid_message"),
                    new Case("{\"type\":\"dance\"}", "unknown_message_type"),
                    new Case("{\"type\":\"subscribe\"}", "invalid_message"),
                    new Case("{\"type\":\"subscribe\",\"channel\":42,\"scope\":{\"col\":\"conversation_id\",\"value\":1}}",
                            "invalid_message"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\"}", "invalid_message"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":\"conversation_id=1\"}",
                            "invalid_message"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"value\":1}}",
                            "invalid_message"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\"}}",
                            "invalid_message"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"nope\",\"scope\":{\"col\":\"conversation_id\",\"value\":1}}",
                            "unknown_channel"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"conversation\",\"scope\":{\"col\":\"id\",\"value\":1}}",
                            "unknown_channel"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"author\",\"value\":\"x\"}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation\",\"value\":1}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":\"abc\"}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":1.5}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":null}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":1e400}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":{\"a\":1}}}",
                            "invalid_scope"),
                    new Case("{\"type\":\"unsubscribe\",\"channel\":\"nope\",\"scope\":{\"col\":\"conversation_id\",\"value\":1}}",
                            "unknown_channel"),
                    new Case("{\"type\":\"subscribe\",\"id\":{\"x\":1},\"channel\":\"message\"}", "invalid_message"))
                    .forEach(c -> {
                        JsonObject reply = client.request(c.frame());
                        assertEquals("error", reply.getString("type"), c.frame() + " -> " + reply);
                        assertEquals(c.code(), reply.getString("code"), c.frame() + " -> " + reply);
                        assertFalse(reply.getString("message").isBlank(), "an error explains itself: " + reply);
                    });
            assertStillWorks(client, conversation);
        }
    }

    @Test
    void should_echo_the_client_id_in_replies_and_errors() {
        try (WsClient client = WsClient.connect(base, "admin")) {
            JsonObject ok = client.request("{\"type\":\"subscribe\",\"id\":\"s-1\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":5}}");
            assertEquals("subscribed", ok.getString("type"));
            assertEquals("s-1", ok.getString("id"));
            assertEquals("message", ok.getString("channel"));
            assertEquals(5, ok.getJsonObject("scope").getInt("value"));
            client.next("snapshot");

            JsonObject error = client.request("{\"type\":\"subscribe\",\"id\":17,\"channel\":\"nope\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":5}}");
            assertEquals("unknown_channel", error.getString("code"));
            assertEquals(17, error.getInt("id"));

            JsonObject gone = client.request("{\"type\":\"unsubscribe\",\"id\":\"u-1\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":5}}");
            assertEquals("unsubscribed", gone.getString("type"));
            assertEquals("u-1", gone.getString("id"));
        }
    }

    @Test
    void should_treat_a_numeric_string_scope_as_the_same_stream_and_subscribe_idempotently() {
        long conversation = api.createConversation("idempotent");
        try (WsClient client = WsClient.connect(base)) {
            JsonObject asString = client.subscribe("message", "conversation_id", "\"" + conversation + "\"");
            assertEquals(conversation, asString.getJsonObject("scope").getJsonNumber("value").longValue(),
                    "the value is echoed converted to the scope's type");
            client.next("snapshot");
            client.subscribe("message", "conversation_id", conversation);
            client.subscribe("message", "conversation_id", conversation);

            api.postMessage(conversation, "once");
            assertEquals("once", client.next("change").getJsonObject("event").getJsonObject("row").getString("body"));
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_stop_sending_after_unsubscribe() {
        long conversation = api.createConversation("unsubscribe");
        try (WsClient leaving = WsClient.connect(base); WsClient staying = WsClient.connect(base)) {
            leaving.subscribeConversation(conversation);
            staying.subscribeConversation(conversation);
            JsonObject reply = leaving.request("{\"type\":\"unsubscribe\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":\"" + conversation + "\"}}");
            assertEquals("unsubscribed", reply.getString("type"));

            api.postMessage(conversation, "after");
            assertEquals("after", staying.next("change").getJsonObject("event").getJsonObject("row").getString("body"));
            leaving.expectSilence(QUIET);
        }
    }

    @Test
    void should_refuse_subscriptions_beyond_the_per_connection_limit() {
        try (WsClient client = WsClient.connect(base, "admin")) { // admin may follow conversations that do not exist
            for (int i = 1; i <= 256; i++) {
                client.subscribeConversation(1_000_000 + i);
            }
            JsonObject refused = client.request("{\"type\":\"subscribe\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":1}}");
            assertEquals("too_many_subscriptions", refused.getString("code"));
            client.subscribe("message", "conversation_id", 1_000_001); // an existing one is still fine, no new snapshot
            client.request("{\"type\":\"unsubscribe\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":1000001}}");
            long conversation = api.createConversation("limit");
            assertStillWorks(client, conversation); // alice posts, admin receives
        }
    }

    @Test
    void should_reject_binary_frames_and_survive_hostile_nesting() {
        long conversation = api.createConversation("hostile");
        try (WsClient client = WsClient.connect(base)) {
            client.sendBinary(new byte[] { 1, 2, 3 });
            assertEquals("invalid_message", client.next("error").getString("code"));

            String deepArray = "[".repeat(30_000) + "]".repeat(30_000);
            assertTrue(Stream.of("invalid_json", "invalid_message")
                    .anyMatch(code -> code.equals(client.request(deepArray).getString("code"))));
            String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
            assertTrue(Stream.of("invalid_json", "invalid_message")
                    .anyMatch(code -> code.equals(client.request(deepObject).getString("code"))));
            String hugeString = "{\"type\":\"subscribe\",\"channel\":\"" + "x".repeat(60_000) + "\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":1}}";
            JsonObject unknown = client.request(hugeString);
            assertEquals("unknown_channel", unknown.getString("code"));
            assertTrue(unknown.getString("message").length() < 200, "client text is not echoed in full");
            assertStillWorks(client, conversation);
        }
    }

    @Test
    void should_close_with_1009_on_a_frame_over_the_maximum_and_keep_serving_others() {
        long conversation = api.createConversation("too-big");
        try (WsClient bystander = WsClient.connect(base); WsClient offender = WsClient.connect(base)) {
            bystander.subscribeConversation(conversation);
            offender.send("{\"type\":\"subscribe\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, offender.closeCode());

            api.postMessage(conversation, "still here");
            assertEquals("still here",
                    bystander.next("change").getJsonObject("event").getJsonObject("row").getString("body"));
        }
        try (WsClient fresh = WsClient.connect(base)) {
            assertStillWorks(fresh, api.createConversation("after-too-big"));
        }
    }

    /** Subscribes on this very socket and receives a real change. */
    private void assertStillWorks(WsClient client, long conversation) {
        client.subscribeConversation(conversation);
        api.postMessage(conversation, "proof");
        JsonObject event = client.next("change").getJsonObject("event");
        assertEquals("proof", event.getJsonObject("row").getString("body"));
    }
}
