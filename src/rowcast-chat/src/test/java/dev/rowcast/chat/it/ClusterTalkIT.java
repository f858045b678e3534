package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonObject;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.ClusterNode;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.RedisServer;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Presence, broadcasts and groups across two instances (-Ppostgres only): two Payara Micro processes of the reference
 * WAR with the talk probes ({@code TalkProbes}: a two-seat group channel {@code table}, a profile, a policy and a CDI
 * observer), on PostgreSQL and a Redis of the test's own. The scenarios share the instances; the fourth kills Redis
 * and starts it again empty, the last kills A with SIGKILL, so its members must expire.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTalkIT {

    private static final Duration QUIET = Duration.ofMillis(700);
    /** Entries outlive their instance's last refresh (every third of it) by this much. */
    private static final int TTL_MILLIS = 3_000;

    private static RedisServer redis;
    private static ClusterNode a;
    private static ClusterNode b;
    private static ChatApi api;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        Path war = Files.createTempDirectory("rowcast-cluster-talk-").resolve("ROOT.war");
        Deployments.chatWarForTalk().as(ZipExporter.class).exportTo(war.toFile(), true);
        Map<String, String> settings = Map.of("rowcast.cluster.redis", redis.uri(),
                "rowcast.cluster.keyPrefix", "rowcast-talk-it-" + System.nanoTime(),
                "rowcast.cluster.leaseMillis", "2000",
                "rowcast.presence.ttlMillis", String.valueOf(TTL_MILLIS),
                // a cold instance on a busy machine took more than the default 5 s for its first authorization
                "rowcast.security.authorizerTimeoutMillis", "60000",
                "rowcast.capture.database", "message, membership",
                "rowcast.capture.installTriggers", "true");
        a = ClusterNode.start("talk-a", settings, war.toString());
        b = ClusterNode.start("talk-b", settings, war.toString());
        a.awaitReady();
        b.awaitReady();
        api = new ChatApi(a.base());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ClusterNode node : new ClusterNode[] { a, b }) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String stream(long conversation) {
        return "\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":" + conversation + "}";
    }

    private static long sharedConversation(String title) {
        long conversation = api.createConversation(title);
        api.addMember(conversation, "bob");
        return conversation;
    }

    private static JsonObject join(WsClient client, String stream) {
        JsonObject reply = client.request("{\"type\":\"join\"," + stream + "}");
        assertEquals("presence", reply.getString("type"), reply.toString());
        return reply;
    }

    private static List<String> users(JsonObject presence) {
        return presence.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                .map(member -> member.getString("user")).toList();
    }

    @Test
    @Order(1)
    void should_show_one_list_across_instances_and_count_a_user_on_both_once() throws Exception {
        long conversation = sharedConversation("cluster presence");
        try (WsClient bob = WsClient.connect(b.base(), "bob"); WsClient aliceOnA = WsClient.connect(a.base(), "alice");
                WsClient aliceOnB = WsClient.connect(b.base(), "alice")) {
            for (WsClient client : List.of(bob, aliceOnA, aliceOnB)) {
                client.subscribeConversation(conversation);
            }
            assertEquals(List.of("bob"), users(join(bob, stream(conversation))));

            JsonObject both = join(aliceOnA, stream(conversation));
            assertEquals(List.of("bob", "alice"), users(both), "A's list has B's member");
            assertEquals("B", both.getJsonArray("members").getJsonObject(0).getJsonObject("fields")
                    .getString("initial"), "with the fields B's profile gave");
            JsonObject joined = bob.next("joined");
            assertEquals("alice", joined.getJsonObject("member").getString("user"), "B hears of A's join");
            assertEquals(conversation, joined.getJsonObject("scope").getJsonNumber("value").longValue());

            assertEquals(List.of("bob", "alice"), users(join(aliceOnB, stream(conversation))),
                    "alice on A and B counts once");
            bob.expectSilence(QUIET);

            JsonObject leftReply = aliceOnB.request("{\"type\":\"leave\",\"id\":\"l\"," + stream(conversation) + "}");
            assertEquals("left", leftReply.getString("type"));
            bob.expectSilence(QUIET); // she is still there on A

            aliceOnA.close(); // her last socket, on the other instance
            JsonObject left = bob.next("left");
            assertEquals("alice", left.getString("user"));
        }
    }

    @Test
    @Order(2)
    void should_send_a_broadcast_from_a_to_b_stamped_throttled_and_shaped_where_it_was_sent() throws Exception {
        long conversation = sharedConversation("cluster broadcast");
        try (WsClient alice = WsClient.connect(a.base(), "alice"); WsClient bob = WsClient.connect(b.base(), "bob")) {
            alice.subscribeConversation(conversation);
            bob.subscribeConversation(conversation);
            for (int i = 1; i <= 10; i++) {
                alice.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"cursor\",\"data\":{\"x\":"
                        + i + "},\"from\":{\"user\":\"mallory\"}}");
            }
            JsonObject first = bob.next("broadcast");
            assertEquals(1, first.getJsonObject("data").getInt("x"), "the leading edge");
            assertEquals("alice", first.getJsonObject("from").getString("user"), "the server's name, not the forged one");
            JsonObject last = bob.next("broadcast");
            assertEquals(10, last.getJsonObject("data").getInt("x"), "the trailing edge carries the last value");
            bob.expectSilence(QUIET);

            alice.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"stamp\",\"data\":\"hi\"}");
            JsonObject stamped = bob.next("broadcast");
            assertEquals("a", stamped.getJsonObject("data").getString("by"), "A's observer shaped it: " + stamped);
            JsonObject vetoed = alice.request("{\"type\":\"broadcast\",\"id\":1," + stream(conversation)
                    + ",\"event\":\"mute\",\"data\":true}");
            assertEquals("forbidden", vetoed.getString("code"));
            bob.send("{\"type\":\"broadcast\"," + stream(conversation) + ",\"event\":\"typing\",\"data\":true}");
            assertEquals("bob", alice.next("broadcast").getJsonObject("from").getString("user"), "and B to A");
            bob.expectSilence(QUIET);
        }
    }

    @Test
    @Order(3)
    void should_hold_a_groups_member_limit_across_instances_and_broadcast_to_all_its_subscribers() throws Exception {
        // a hostile group name: a lone surrogate, a bar and a backslash reach the other instance unchanged
        String table = "\"channel\":\"table\",\"scope\":{\"col\":\"name\",\"value\":\"t|\\ud800\\\\" + System.nanoTime()
                + "\"}";
        try (WsClient alice = WsClient.connect(a.base(), "alice"); WsClient bob = WsClient.connect(b.base(), "bob");
                WsClient eveOnA = WsClient.connect(a.base(), "eve"); WsClient eveOnB = WsClient.connect(b.base(), "eve")) {
            for (WsClient client : List.of(alice, bob, eveOnA, eveOnB)) {
                JsonObject subscribed = client.request("{\"type\":\"subscribe\"," + table + "}");
                assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
            }
            join(alice, table);
            assertEquals(List.of("alice", "bob"), users(join(bob, table)));
            assertEquals("bob", alice.next("joined").getJsonObject("member").getString("user"));
            assertEquals("full", eveOnA.request("{\"type\":\"join\",\"id\":\"e\"," + table + "}").getString("code"));
            assertEquals("full", eveOnB.request("{\"type\":\"join\",\"id\":\"e\"," + table + "}").getString("code"),
                    "two seats across both instances");

            bob.send("{\"type\":\"broadcast\"," + table + ",\"event\":\"move\",\"data\":\"e4\"}");
            JsonObject move = alice.next("broadcast");
            assertEquals("e4", move.getString("data"));
            assertEquals("t|\ud800\\", move.getJsonObject("scope").getString("value").substring(0, 4));
            assertEquals("e4", eveOnA.next("broadcast").getString("data"), "subscribers on A hear B's broadcast");
            assertEquals("e4", eveOnB.next("broadcast").getString("data"));

            bob.request("{\"type\":\"leave\"," + table + "}");
            assertEquals("bob", alice.next("left").getString("user"));
            assertEquals(List.of("alice", "eve"), users(join(eveOnB, table)), "the seat is free");
        }
    }

    @Test
    @Order(4)
    void should_go_on_per_instance_while_redis_is_away_and_agree_again_when_it_is_back() throws Exception {
        long conversation = sharedConversation("cluster without redis");
        api.addMember(conversation, "eve");
        try (WsClient alice = WsClient.connect(a.base(), "alice"); WsClient bob = WsClient.connect(b.base(), "bob");
                WsClient eve = WsClient.connect(a.base(), "eve")) {
            for (WsClient client : List.of(alice, bob, eve)) {
                client.subscribeConversation(conversation);
            }
            join(alice, stream(conversation));
            assertEquals(List.of("alice", "bob"), users(join(bob, stream(conversation))));
            assertEquals("bob", alice.next("joined").getJsonObject("member").getString("user"));

            redis.kill();
            JsonObject alone = join(eve, stream(conversation));
            assertEquals(List.of("alice", "bob", "eve"), users(alone), "A goes on with what it knew");
            assertEquals("eve", alice.next("joined").getJsonObject("member").getString("user"), "told on A");

            redis.revive(); // empty: every instance puts its own members back at its next renewal
            Set<String> bobSees = new HashSet<>(List.of("alice", "bob"));
            awaitPresence(bob, bobSees, Set.of("alice", "bob", "eve"), Duration.ofSeconds(90));
            Set<String> aliceSees = new HashSet<>(List.of("alice", "bob", "eve"));
            awaitPresence(alice, aliceSees, Set.of("alice", "bob", "eve"), Duration.ofSeconds(5));
        }
    }

    /**
     * Applies {@code joined} and {@code left} to {@code seen} until it is {@code expected} and stays so for a
     * moment; other frames (a resync after Redis came back empty) are passed over.
     */
    private static void awaitPresence(WsClient client, Set<String> seen, Set<String> expected, Duration within) {
        Instant deadline = Instant.now().plus(within);
        Instant stable = null;
        while (Instant.now().isBefore(deadline)) {
            JsonObject frame = client.nextOrNull(Duration.ofMillis(200));
            if (frame != null && "joined".equals(frame.getString("type", ""))) {
                seen.add(frame.getJsonObject("member").getString("user"));
            } else if (frame != null && "left".equals(frame.getString("type", ""))) {
                seen.remove(frame.getString("user"));
            }
            if (!seen.equals(expected)) {
                stable = null;
            } else if (stable == null) {
                stable = Instant.now();
            } else if (Duration.between(stable, Instant.now()).toMillis() >= TTL_MILLIS / 3 * 2) {
                return; // two renewals went by without a change
            }
        }
        throw new AssertionError("presence seen " + seen + ", expected " + expected + " within " + within);
    }

    @Test
    @Order(5)
    void should_expire_the_members_of_an_instance_killed_without_a_word() throws Exception {
        long conversation = sharedConversation("cluster expiry");
        try (WsClient alice = WsClient.connect(a.base(), "alice"); WsClient bob = WsClient.connect(b.base(), "bob")) {
            alice.subscribeConversation(conversation);
            bob.subscribeConversation(conversation);
            join(alice, stream(conversation));
            assertEquals(List.of("alice", "bob"), users(join(bob, stream(conversation))));
            Instant killed = Instant.now();
            a.kill(); // SIGKILL: no leave, no close, nothing
            JsonObject left = null;
            while (left == null && Instant.now().isBefore(killed.plusSeconds(30))) {
                JsonObject frame = bob.nextOrNull(Duration.ofSeconds(1));
                if (frame != null && !"ping".equals(frame.getString("type", ""))) {
                    left = frame;
                }
            }
            assertNotNull(left, "alice left within 30 s");
            assertEquals("left", left.getString("type"), left.toString());
            assertEquals("alice", left.getString("user"));
            long after = Duration.between(killed, Instant.now()).toMillis();
            assertTrue(after >= TTL_MILLIS - 1_000 - 200, "not before her entry expired: " + after + " ms");
            assertTrue(after <= TTL_MILLIS + TTL_MILLIS / 3 + 5_000, "within the TTL and a refresh: " + after + " ms");
        }
    }
}
