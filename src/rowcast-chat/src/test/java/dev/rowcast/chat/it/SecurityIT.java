package dev.rowcast.chat.it;

import static dev.rowcast.chat.it.support.WsClient.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.rowcast.chat.it.probe.SlowAuthorizer;
import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.LeakAudit;
import dev.rowcast.chat.it.support.LeakAudit.Audited;
import dev.rowcast.chat.it.support.WsClient;

/**
 * The hostile-client suite, over real sockets. Each test fails if its protection is removed. Every frame bob, eve
 * and alice receive is also audited ({@link LeakAudit}): a private row that is not theirs, an admin-only column, a
 * message of a conversation they were not a member of when it arrived, or anything of an admin-only channel counts
 * as a leak, and the suite asserts there were none at all.
 */
class SecurityIT extends DeployedChat {

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final LeakAudit AUDIT = new LeakAudit();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForSecurity();
    }

    @AfterAll
    static void no_unauthorized_frame_arrived_anywhere_in_the_suite() {
        assertTrue(AUDIT.audited() > 10, "the audit saw frames: " + AUDIT.audited());
        assertEquals(List.of(), AUDIT.leaks(), "unauthorized frames");
    }

    // --- authentication at the handshake ---

    @Test
    void should_refuse_a_handshake_without_credentials_with_401() {
        assertRefused(WsClient.endpoint(base, ""), Map.of(), 401);
        assertEquals(401, api.withAuthorization(null).call("GET", "api/conversations", null).status());
    }

    @Test
    void should_refuse_unauthenticated_writes_and_take_the_author_from_the_principal_only() {
        long conversation = api.createConversation("who wrote this");
        ChatApi anonymous = api.withAuthorization(null);
        assertEquals(401, anonymous.call("POST", "api/conversations", "{\"title\":\"x\"}").status());
        assertEquals(401, anonymous.call("POST", "api/conversations/" + conversation + "/messages",
                "{\"body\":\"x\"}").status());
        long id = api.postMessage(conversation, "mine").getJsonNumber("id").longValue();
        assertEquals(401, anonymous.call("PUT", "api/messages/" + id, "{\"body\":\"defaced\"}").status());
        assertEquals(401, anonymous.call("DELETE", "api/messages/" + id, null).status());

        ChatApi.Reply forged = api.call("POST", "api/conversations/" + conversation + "/messages",
                "{\"body\":\"forged\",\"author\":\"admin\"}");
        assertEquals(201, forged.status(), forged.body());
        assertEquals("alice", forged.object().getString("author"), "the author is the caller, whatever the body says");
        assertFalse(api.call("GET", "api/conversations/" + conversation + "/messages", null).body()
                .contains("defaced"));
    }

    @Test
    void should_refuse_a_wrong_password_with_401() {
        assertRefused(WsClient.endpoint(base, ""), Map.of("Authorization", ChatApi.basic("alice", "bob")), 401);
        assertRefused(WsClient.endpoint(base, ""), Map.of("Authorization", ChatApi.basic("mallory", "mallory")), 401);
        assertRefused(WsClient.endpoint(base, ""), Map.of("Authorization", "Basic !!not-base64!!"), 401);
    }

    @Test
    void should_accept_a_valid_token_in_the_header_the_query_or_a_cookie() {
        String token = api.token("alice", 60);
        for (WsClient client : List.of(
                WsClient.connect(WsClient.endpoint(base, ""), Map.of("Authorization", "Bearer " + token)),
                WsClient.connect(WsClient.endpoint(base, "?access_token=" + token), Map.of()),
                WsClient.connect(WsClient.endpoint(base, ""), Map.of("Cookie", "rowcast_token=" + token)))) {
            try (client) {
                assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
            }
        }
    }

    @Test
    void should_refuse_forged_expired_and_wrong_key_tokens_with_401() throws Exception {
        String valid = api.token("alice", 60);
        String[] parts = valid.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("\"alice\"", "\"admin\"").replace("\"user\"", "\"admin\"").getBytes());
        String forged = parts[0] + "." + forgedClaims + "." + parts[2];
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + forgedClaims + ".";
        String wrongKey = sign("an attacker's key that is long enough for HS256!", "admin", 60);
        String expired = api.token("alice", 1);
        Thread.sleep(2_100);
        for (String token : List.of(forged, unsigned, wrongKey, expired, "not-a-token")) {
            assertRefused(WsClient.endpoint(base, ""), Map.of("Authorization", "Bearer " + token), 401);
            assertRefused(WsClient.endpoint(base, "?access_token=" + token), Map.of(), 401);
            assertRefused(WsClient.endpoint(base, ""), Map.of("Cookie", "rowcast_token=" + token), 401);
            assertEquals(401, api.withAuthorization("Bearer " + token).call("GET", "api/conversations", null)
                    .status(), token);
        }
        assertEquals(401, api.withAuthorization("Bearer " + valid).call("POST", "api/tokens", null).status(),
                "a token cannot mint tokens");
    }

    @Test
    void should_close_with_4401_when_the_token_expires_while_the_socket_is_open() {
        long conversation = api.createConversation("expiring");
        String token = api.token("alice", 2);
        long opened = System.nanoTime();
        try (WsClient client = WsClient.connect(WsClient.endpoint(base, "?access_token=" + token), Map.of())) {
            client.subscribeConversation(conversation);
            assertEquals(4401, client.closeCode(), "closed at expiry, without any message from the client");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - opened);
            assertTrue(seconds <= 4, "closed at expiry, not later: " + seconds + " s");
        }
    }

    @Test
    void should_refuse_a_foreign_origin_with_403_and_admit_the_own_origin() {
        Map<String, String> asAlice = Map.of("Authorization", ChatApi.basic("alice", "alice"));
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1.evil.example:" + base.getPort(),
                "http://127.0.0.1:" + (base.getPort() + 1))) {
            Map<String, String> headers = new java.util.HashMap<>(asAlice);
            headers.put("Origin", origin);
            assertRefused(WsClient.endpoint(base, ""), headers, 403);
        }
        Map<String, String> own = new java.util.HashMap<>(asAlice);
        own.put("Origin", "http://127.0.0.1:" + base.getPort());
        try (WsClient client = WsClient.connect(WsClient.endpoint(base, ""), own)) {
            assertEquals("pong", client.request("{\"type\":\"ping\",\"id\":1}").getString("type"));
        }
    }

    // --- authorization per subscription ---

    @Test
    void should_forbid_subscribing_to_a_conversation_you_are_not_in_until_you_are_added() {
        long conversation = api.createConversation("members only");
        try (Audited bob = connect("bob")) {
            JsonObject refused = bob.client.request(subscribe(conversation, String.valueOf(conversation), "s1"));
            assertEquals("forbidden", refused.getString("code"));
            assertEquals("s1", refused.getString("id"));
            api.postMessage(conversation, "not for bob");
            bob.client.expectSilence(QUIET);
            assertEquals(404, api.as("bob").call("GET", "api/conversations/" + conversation + "/messages", null)
                    .status(), "REST reads are guarded too");
            assertEquals(404, api.as("bob").call("POST", "api/conversations/" + conversation + "/members",
                    "{\"user\":\"bob\"}").status(), "a non-member cannot add himself");

            api.addMember(conversation, "bob");
            bob.client.subscribeConversation(conversation);
            api.postMessage(conversation, "now for bob");
            assertEquals("now for bob", bob.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"));
        }
    }

    @Test
    void should_not_replay_history_from_before_the_caller_joined() {
        long conversation = api.createConversation("side door");
        long deleted = api.postMessage(conversation, "deleted words").getJsonNumber("id").longValue();
        assertEquals(204, api.call("DELETE", "api/messages/" + deleted, null).status());
        long edited = api.postMessage(conversation, "first draft").getJsonNumber("id").longValue();
        assertEquals(200, api.call("PUT", "api/messages/" + edited, "{\"body\":\"final\"}").status());
        api.addMember(conversation, "eve");
        try (Audited eve = connect("eve")) {
            JsonObject joined = eve.client.request(subscribe(conversation, String.valueOf(conversation), "j"));
            String epoch = joined.getJsonObject("position").getString("epoch");
            eve.client.next("snapshot");
            List<JsonObject> frames = new ArrayList<>();
            for (String cursor : List.of("{\"epoch\":\"" + epoch + "\",\"seq\":0}",
                    "{\"epoch\":\"" + epoch + "\",\"seq\":1}")) {
                eve.client.send(WsClient.subscribeConversationFrame(conversation, cursor));
                frames.add(eve.client.next("subscribed"));
                JsonObject refused = eve.client.next();
                frames.add(refused);
                assertEquals("replay_unavailable", refused.getString("code", refused.toString()),
                        "a cursor from before eve joined is not hers to replay from");
                JsonObject snapshot = eve.client.next("snapshot");
                frames.add(snapshot);
                assertEquals(1, snapshot.getJsonArray("rows").size(), snapshot.toString());
            }
            eve.client.expectSilence(QUIET);
            String seen = frames.toString();
            assertFalse(seen.contains("deleted words") || seen.contains("first draft"), seen);
        }
    }

    @Test
    void should_end_the_subscription_of_a_member_who_is_removed_with_a_revoked_frame() {
        long conversation = api.createConversation("revocation");
        api.addMember(conversation, "bob");
        try (Audited bob = connect("bob")) {
            assertEquals("subscribed", bob.client.request(subscribe(conversation, String.valueOf(conversation),
                    "r1")).getString("type"));
            bob.client.next("snapshot");
            assertEquals(204, api.call("DELETE", "api/conversations/" + conversation + "/members/bob", null)
                    .status());
            JsonObject revoked = bob.client.next("error");
            assertEquals("revoked", revoked.getString("code"));
            assertEquals("r1", revoked.getString("id"), "tells which subscription ended");
            api.postMessage(conversation, "after bob left");
            bob.client.expectSilence(QUIET);
            assertEquals("forbidden", bob.client.request(subscribe(conversation, String.valueOf(conversation),
                    "r2")).getString("code"), "and he cannot come back on his own");
        }
    }

    @Test
    void should_admit_a_member_to_every_one_of_two_hundred_conversations_subscribed_at_once() {
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            conversations.add(api.createConversation("many " + i));
        }
        try (Audited alice = connect("alice")) {
            for (long conversation : conversations) {
                alice.client.send(subscribe(conversation, String.valueOf(conversation), "m" + conversation));
            }
            List<String> refused = new ArrayList<>();
            int subscribed = 0;
            while (subscribed + refused.size() < conversations.size()) {
                JsonObject frame = alice.client.next();
                if (frame.getString("type").equals("subscribed")) {
                    subscribed++;
                } else if (frame.getString("type").equals("error")) {
                    refused.add(frame.toString());
                }
            }
            // the authorizer reads the database: it must work on whatever thread the container calls it from
            assertEquals(List.of(), refused);
        }
    }

    @Test
    void should_admit_only_the_roles_a_channel_allows() {
        try (Audited user = connect("alice"); Audited admin = connect("admin")) {
            String subscribe = "{\"type\":\"subscribe\",\"id\":1,\"channel\":\"admin_note\","
                    + "\"scope\":{\"col\":\"topic\",\"value\":1}}";
            JsonObject refused = user.client.request(subscribe);
            assertEquals("forbidden", refused.getString("code"), "@Reactive(rolesAllowed = \"admin\")");
            assertEquals("pong", user.client.request("{\"type\":\"ping\"}").getString("type"), "still open");
            assertEquals("subscribed", admin.client.request(subscribe).getString("type"));
        }
    }

    @Test
    void should_not_be_fooled_by_forged_scope_values() {
        long conversation = api.createConversation("forged scopes");
        api.postMessage(conversation, "alice only");
        try (Audited eve = connect("eve")) {
            for (String value : List.of("\"" + conversation + "\"", conversation + ".0", "\" " + conversation + "\"")) {
                assertEquals("forbidden", eve.client.request(subscribe(conversation, value, null)).getString("code"),
                        value);
            }
            for (String column : List.of("id", "author", "CONVERSATION_ID", "conversation")) {
                JsonObject refused = eve.client.request("{\"type\":\"subscribe\",\"channel\":\"message\","
                        + "\"scope\":{\"col\":\"" + column + "\",\"value\":" + conversation + "}}");
                assertEquals("invalid_scope", refused.getString("code"), column);
            }
            api.postMessage(conversation, "still alice only");
            eve.client.expectSilence(QUIET);
        }
    }

    // --- authorization per row ---

    @Test
    void should_never_send_a_private_message_to_anyone_but_its_author_and_admins() {
        long conversation = api.createConversation("private");
        api.addMember(conversation, "bob");
        try (Audited author = connect("alice"); Audited bob = connect("bob"); Audited admin = connect("admin");
                Audited eve = connect("eve")) {
            author.client.subscribeConversation(conversation);
            JsonObject bobSnapshot = bob.client.subscribeConversation(conversation);
            admin.client.subscribeConversation(conversation);
            assertEquals("forbidden", eve.client.request(subscribe(conversation, String.valueOf(conversation), null))
                    .getString("code"));

            api.postMessage(conversation, "secret plan", true);
            assertEquals("secret plan", author.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"));
            assertEquals("secret plan", admin.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"));
            JsonObject hidden = bob.client.next("change");
            assertEquals(JsonValue.ValueType.OBJECT, hidden.get("event").getValueType());
            assertEquals(Set.of("type"), hidden.getJsonObject("event").keySet(), "nothing of the row: " + hidden);
            assertEquals("hidden", hidden.getJsonObject("event").getString("type"));
            long hiddenSeq = hidden.getJsonObject("position").getJsonNumber("seq").longValue();
            assertEquals(bobSnapshot.getJsonObject("position").getJsonNumber("seq").longValue() + 1, hiddenSeq,
                    "positions stay contiguous for bob");

            api.postMessage(conversation, "public news");
            JsonObject news = bob.client.next("change");
            assertEquals("public news", news.getJsonObject("event").getJsonObject("row").getString("body"));
            assertEquals(hiddenSeq + 1, news.getJsonObject("position").getJsonNumber("seq").longValue());
            eve.client.expectSilence(QUIET);

            String beforePrivate = bobSnapshot.getJsonObject("position").toString();
            try (Audited again = connect("bob")) {
                again.client.request(subscribe(conversation, String.valueOf(conversation), null)
                        .replace("}}", "},\"from\":" + beforePrivate + "}"));
                assertEquals("hidden", again.client.next("change").getJsonObject("event").getString("type"),
                        "replay hides it too");
                assertEquals("public news", again.client.next("change").getJsonObject("event")
                        .getJsonObject("row").getString("body"));
            }
            try (Audited fresh = connect("bob")) {
                JsonObject snapshot = fresh.client.subscribeConversation(conversation);
                assertEquals(List.of("public news"), snapshot.getJsonArray("rows").stream()
                        .map(row -> row.asJsonObject().getString("body")).toList(), "the snapshot hides it too");
            }
            try (Audited secondAdmin = connect("admin")) {
                JsonObject adminSnapshot = secondAdmin.client.subscribeConversation(conversation);
                assertEquals(2, adminSnapshot.getJsonArray("rows").size(), "an admin sees both");
            }
            assertFalse(api.as("bob").call("GET", "api/conversations/" + conversation + "/messages", null).body()
                    .contains("secret plan"), "REST hides it from bob too");
        }
    }

    @Test
    void should_hide_the_row_only_from_the_subscriber_whose_filter_throws() {
        long conversation = api.createConversation("boom");
        api.addMember(conversation, "bob");
        try (Audited author = connect("alice"); Audited bob = connect("bob")) {
            author.client.subscribeConversation(conversation);
            bob.client.subscribeConversation(conversation);
            api.postMessage(conversation, "boom");
            assertEquals("boom", author.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"), "other subscribers are unaffected");
            assertEquals("hidden", bob.client.next("change").getJsonObject("event").getString("type"),
                    "fail-closed for the subscriber whose filter threw");
            api.postMessage(conversation, "calm");
            assertEquals("calm", bob.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"));
        }
    }

    @Test
    void should_redact_a_column_visible_to_admins_only() {
        try (Audited user = connect("alice"); Audited admin = connect("admin")) {
            for (Audited viewer : List.of(user, admin)) {
                viewer.client.subscribe("secret_note", "topic", 5);
                viewer.client.next("snapshot");
            }
            ChatApi.Reply inserted = api.call("POST", "api/it/secret/5?text=hello&secret=s3cret", null);
            assertEquals(200, inserted.status(), inserted.body());
            long id = inserted.object().getJsonNumber("id").longValue();
            JsonObject seenByUser = user.client.next("change").getJsonObject("event").getJsonObject("row");
            assertEquals("hello", seenByUser.getString("text"));
            assertFalse(seenByUser.containsKey("secret"), "redacted for a user: " + seenByUser);
            assertEquals("s3cret", admin.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("secret"));

            api.call("PUT", "api/it/secret/note/" + id + "?text=bye&secret=other", null);
            JsonObject update = user.client.next("change").getJsonObject("event");
            assertFalse(update.getJsonObject("row").containsKey("secret"));
            assertFalse(update.getJsonObject("previous").containsKey("secret"), "no previous value either");
            assertFalse(update.getJsonArray("changed").toString().contains("secret"));
            assertTrue(admin.client.next("change").getJsonObject("event").getJsonObject("previous")
                    .containsKey("secret"));
            try (Audited late = connect("alice")) {
                late.client.subscribe("secret_note", "topic", 5);
                JsonObject row = late.client.next("snapshot").getJsonArray("rows").getJsonObject(0);
                assertFalse(row.containsKey("secret"), "the snapshot is redacted too");
            }
        }
    }

    @Test
    void should_wait_for_an_asynchronous_authorizer_keep_the_frames_order_and_deny_when_it_fails() {
        long allowed = SlowAuthorizer.SLOW_FROM + 1;
        long dropped = SlowAuthorizer.SLOW_FROM + 2;
        try (Audited alice = connect("alice")) {
            alice.client.send(secretNote("subscribe", allowed, "a"));
            // subscribed and at once unsubscribed while the authorizer still decides: it must end unsubscribed
            alice.client.send(secretNote("subscribe", dropped, "b"));
            alice.client.send(secretNote("unsubscribe", dropped, "c"));
            alice.client.send(secretNote("subscribe", SlowAuthorizer.FAILING, "d"));

            List<String> replies = new ArrayList<>();
            String deniedCode = null;
            while (replies.size() < 4) {
                JsonObject frame = nextNotSnapshot(alice.client);
                replies.add(frame.getString("type") + ":" + frame.getString("id"));
                deniedCode = frame.getString("code", deniedCode);
            }
            assertEquals(List.of("subscribed:a", "subscribed:b", "unsubscribed:c", "error:d"), replies,
                    "replies in the order the frames came, however late the authorizer answered");
            assertEquals("forbidden", deniedCode, "an authorizer that fails denies");

            assertEquals(200, api.call("POST", "api/it/secret/" + dropped + "?text=nobody&secret=x", null).status());
            assertEquals(200, api.call("POST", "api/it/secret/" + allowed + "?text=alice&secret=x", null).status());
            JsonObject change = nextNotSnapshot(alice.client);
            assertEquals("change", change.getString("type"));
            assertEquals(allowed, change.getJsonObject("scope").getJsonNumber("value").longValue(),
                    "nothing from the stream unsubscribed before its authorizer answered: " + change);
            alice.client.expectSilence(Duration.ofMillis(500));
        }
    }

    @Test
    void should_answer_subscribes_and_their_refusals_in_the_order_they_were_sent() {
        try (Audited alice = connect("alice")) {
            alice.client.send(secretNote("subscribe", SlowAuthorizer.SLOW_FROM + 3, "a")); // allowed after 400 ms
            alice.client.send("{\"type\":\"subscribe\",\"id\":\"b\",\"channel\":\"admin_note\","
                    + "\"scope\":{\"col\":\"topic\",\"value\":1}}"); // the role alone refuses it
            alice.client.send("{\"type\":\"unsubscribe\",\"id\":\"c\",\"channel\":\"secret_note\","
                    + "\"scope\":{\"col\":\"nope\",\"value\":1}}");
            alice.client.send("{\"type\":\"subscribe\",\"id\":\"d\",\"channel\":\"secret_note\"}");
            alice.client.send("{\"type\":\"unsubscribe\",\"id\":\"e\",\"channel\":\"nope\","
                    + "\"scope\":{\"col\":\"x\",\"value\":1}}");
            List<String> replies = new ArrayList<>();
            while (replies.size() < 5) {
                JsonObject frame = nextNotSnapshot(alice.client);
                replies.add(frame.getString("type") + ":" + frame.getString("id")
                        + (frame.containsKey("code") ? ":" + frame.getString("code") : ""));
            }
            assertEquals(List.of("subscribed:a", "error:b:forbidden", "error:c:invalid_scope",
                    "error:d:invalid_message", "error:e:unknown_channel"), replies,
                    "docs/protocol.md: replies to subscribe and unsubscribe come in the order of the requests");
        }
    }

    @Test
    void should_bound_the_requests_waiting_behind_a_hanging_authorizer_and_deny_it_at_the_timeout() {
        try (Audited alice = connect("alice")) {
            long started = System.nanoTime();
            alice.client.send(secretNote("subscribe", SlowAuthorizer.HANGING, "hang"));
            // each waits behind the hanging one and costs about 120 KB: 8 fit in the default 1 MiB, 4 do not
            String pad = "x".repeat(60_000);
            for (int i = 0; i < 12; i++) {
                alice.client.send(secretNote("subscribe", 600 + i, i + "-" + pad));
            }
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonObject frame = alice.client.next("error");
                assertEquals("rate_limited", frame.getString("code"), "refused at once, not queued");
                refused.add(frame.getString("id").substring(0, frame.getString("id").indexOf('-')));
            }
            assertEquals(List.of("8", "9", "10", "11"), refused);
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4),
                    "the refusals came before the authorizer timeout (5 s)");
            JsonObject denied = alice.client.next("error");
            assertEquals("hang", denied.getString("id"));
            assertEquals("forbidden", denied.getString("code"), "an authorizer that never answers denies at the timeout");
            for (int i = 0; i < 8; i++) {
                JsonObject subscribed = nextNotSnapshot(alice.client);
                assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
                assertTrue(subscribed.getString("id").startsWith(i + "-"), "in order: " + i);
            }
            alice.client.send("{\"type\":\"ping\",\"id\":1}");
            assertEquals("pong", nextNotSnapshot(alice.client).getString("type"), "the socket works on");
        }
    }

    // --- what a subscriber sees when a row changes visibility ---

    @Test
    void should_send_a_row_that_becomes_visible_without_previous_or_changed() {
        long topic = 701;
        try (Audited alice = connect("alice")) {
            alice.client.subscribe("secret_note", "topic", topic);
            alice.client.next("snapshot");
            long id = api.call("POST", "api/it/secret/" + topic + "?text=hidden-draft&secret=s", null).object()
                    .getJsonNumber("id").longValue();
            assertEquals("hidden", alice.client.next("change").getJsonObject("event").getString("type"));

            api.call("PUT", "api/it/secret/note/" + id + "?text=shown&secret=s", null);
            JsonObject shown = alice.client.next("change").getJsonObject("event");
            assertEquals("afterUpdate", shown.getString("type"));
            assertEquals("shown", shown.getJsonObject("row").getString("text"));
            assertFalse(shown.containsKey("previous"), "the hidden text must not leak through previous: " + shown);
            assertFalse(shown.containsKey("changed"), "nor through changed: " + shown);

            api.call("PUT", "api/it/secret/note/" + id + "?text=shown-again&secret=s", null);
            JsonObject again = alice.client.next("change").getJsonObject("event");
            assertEquals("shown", again.getJsonObject("previous").getString("text"),
                    "visible before and now: previous as usual");
        }
    }

    @Test
    void should_hide_a_row_whose_deny_list_filter_asks_about_a_role_never_recorded() {
        long topic = 702;
        try (Audited alice = connect("alice"); Audited admin = connect("admin")) {
            for (Audited who : List.of(alice, admin)) {
                who.client.subscribe("secret_note", "topic", topic);
                who.client.next("snapshot");
            }
            api.call("POST", "api/it/secret/" + topic + "?text=deny-banned&secret=s", null);
            for (Audited who : List.of(alice, admin)) {
                assertEquals("hidden", who.client.next("change").getJsonObject("event").getString("type"),
                        who.user + ": 'banned' is not recorded at the handshake, so the rule fails closed");
            }
            api.call("POST", "api/it/secret/" + topic + "?text=deny-admin&secret=s", null);
            assertEquals("deny-admin", alice.client.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("text"), "a recorded role answers: alice is not admin");
            assertEquals("hidden", admin.client.next("change").getJsonObject("event").getString("type"));
        }
    }

    private static JsonObject nextNotSnapshot(WsClient client) {
        JsonObject frame = client.next();
        return frame.getString("type").equals("snapshot") ? nextNotSnapshot(client) : frame;
    }

    private static String secretNote(String type, long topic, String id) {
        return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"channel\":\"secret_note\","
                + "\"scope\":{\"col\":\"topic\",\"value\":" + topic + "}}";
    }

    // --- support ---

    private Audited connect(String user) {
        return AUDIT.connect(api, base, user);
    }

    private static String subscribe(long conversation, String value, String id) {
        return "{\"type\":\"subscribe\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":" + value + "}}";
    }

    private static String sign(String key, String subject, long ttlSeconds) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("rowcast-chat").subject(subject)
                .claim("groups", List.of("admin"))
                .expirationTime(new java.util.Date(System.currentTimeMillis() + ttlSeconds * 1000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(key.getBytes()));
        return jwt.serialize();
    }
}
