package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * The delivery engine's limits, each proven by behaviour (not timings): a slow consumer is cut with 4499 while a
 * fast one keeps receiving, a flooding client gets rate_limited then 4429, and application-level ping works.
 * Deployed with tight inbound limits and the default 1 MiB outbound bound.
 */
class EngineIT extends DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForEngine();
    }


    @Test
    void should_cut_a_consumer_that_stops_reading_with_4499_while_a_fast_one_gets_everything() throws Exception {
        long conversation = api.createConversation("slow");
        try (RawSocket slow = RawSocket.connect(base, "alice", 4096); WsClient fast = WsClient.connect(base)) {
            slow.sendText("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\","
                    + "\"value\":" + conversation + "}}");
            assertTrue(slow.readText().contains("\"subscribed\""));
            assertTrue(slow.readText().contains("\"snapshot\""));
            fast.subscribeConversation(conversation);
            // from here the slow client reads nothing: the server's socket buffer fills, then Rowcast's queue

            String body = "x".repeat(3_900);
            String item = "{\"body\":\"" + body + "\"}";
            int batches = 90;
            // ~35 MB, in bursts of ~400 KB (one transaction each): bursts fit the default 1 MiB bound, the total
            // is far beyond it and the kernel's buffers together
            int perBatch = 100;
            for (int b = 0; b < batches; b++) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < perBatch; i++) {
                    items.add(item);
                }
                ChatApi.Reply reply = api.call("POST", "api/conversations/" + conversation + "/messages/batch",
                        "[" + String.join(",", items) + "]");
                assertEquals(201, reply.status(), reply.body());
            }
            for (int i = 0; i < batches * perBatch; i++) {
                JsonObject change = fast.next("change");
                assertEquals(body.length(), change.getJsonObject("event").getJsonObject("row").getString("body")
                        .length());
            }
            assertTrue(fast.isOpen(), "the fast consumer is unaffected");
            // the cut came from Rowcast's bound: unread bytes past 1 MiB, not the container giving up; and what was
            // waiting for the slow client when it was cut is bounded by that limit plus the socket buffers, not the
            // ~35 MB the others received
            RawSocket.Ending ending = slow.awaitClose();
            assertEquals(4499, ending.code(), "the slow consumer was cut for falling behind");
            assertTrue(ending.textBytes() < 8_000_000, "the server kept " + ending.textBytes()
                    + " bytes for the slow consumer; the bound is 1 MiB plus the kernel's buffers");
        }
    }

    @Test
    void should_answer_an_application_ping_with_a_pong_echoing_its_id() {
        try (WsClient client = WsClient.connect(base)) {
            JsonObject pong = client.request("{\"type\":\"ping\",\"id\":\"p-1\"}");
            assertEquals("pong", pong.getString("type"));
            assertEquals("p-1", pong.getString("id"));
            assertEquals(7, client.request("{\"type\":\"ping\",\"id\":7}").getInt("id"));
            assertTrue(!client.request("{\"type\":\"ping\"}").containsKey("id"), "no id, no echo");
        }
    }

    @Test
    void should_answer_a_flood_with_rate_limited_then_close_with_4429() throws Exception {
        try (WsClient flooder = WsClient.connect(base); WsClient bystander = WsClient.connect(base)) {
            for (int i = 0; i < 60; i++) {
                flooder.send("{\"type\":\"ping\",\"id\":" + i + "}");
            }
            int pongs = 0;
            int limited = 0;
            for (JsonObject frame = flooder.nextOrNull(Duration.ofSeconds(2)); frame != null;
                    frame = flooder.nextOrNull(Duration.ofSeconds(2))) {
                if (frame.getString("type").equals("pong")) {
                    pongs++;
                } else if ("rate_limited".equals(frame.getString("code", ""))) {
                    limited++;
                }
            }
            assertTrue(pongs >= 15 && pongs <= 30, "about the burst is served: " + pongs);
            assertTrue(limited >= 1, "then refused: " + limited);
            assertEquals(4429, flooder.closeCode(), "a flood that goes on is closed");
            assertEquals("pong", bystander.request("{\"type\":\"ping\"}").getString("type"), "others unaffected");
        }
    }

    @Test
    void should_coalesce_a_streams_changes_within_the_batch_window_into_one_events_frame() {
        try (WsClient client = WsClient.connect(base); WsClient other = WsClient.connect(base)) {
            JsonObject subscribed = client.subscribe("batched_note", "topic", 9);
            other.subscribe("batched_note", "topic", 10);
            long start = System.nanoTime();
            assertEquals(204, api.call("POST", "api/it/batched/9?n=5", null).status());

            JsonObject frame = client.next("change");
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertFalse(frame.containsKey("event"), "batched frames carry events, not event");
            List<String> texts = frame.getJsonArray("events").stream()
                    .map(e -> e.asJsonObject().getJsonObject("row").getString("text")).toList();
            List<String> expected = List.of("note 0", "note 1", "note 2", "note 3", "note 4");
            List<String> received = new ArrayList<>(texts);
            // five quick commits may straddle one window boundary: then a second frame holds the rest
            while (received.size() < 5) {
                JsonObject more = client.next("change");
                more.getJsonArray("events").forEach(e -> received.add(
                        e.asJsonObject().getJsonObject("row").getString("text")));
            }
            assertEquals(expected, received, "every change once, in commit order");
            assertTrue(texts.size() >= 3, "most changes share one frame: " + texts.size());
            long head = subscribed.getJsonObject("position").getJsonNumber("seq").longValue();
            assertEquals(head + texts.size(), frame.getJsonObject("position").getJsonNumber("seq").longValue(),
                    "position is the last event's");
            assertEquals(texts.size(), frame.getInt("count"));
            assertTrue(millis < 300 + 2_000, "within the window, give or take the commits: " + millis + " ms");
            client.expectSilence(Duration.ofMillis(600));
            other.expectSilence(Duration.ofMillis(100));
        }
    }
}
