package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.WsClient;

/**
 * No plug-in, writer or client stops delivery or grows the heap unnoticed: an observer or row filter that throws an
 * Error, a stalled dispatch thread (seen on /health/live), changes dropped on overload (subscribers resync), a
 * snapshot larger than the outbound bound, and catch-up beyond a socket's budget. Deployed with tiny bounds, see
 * {@link Deployments#chatWarForHardening()}.
 */
class EngineHardeningIT extends DeployedChat {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForHardening();
    }

    @Test
    void should_keep_delivering_when_an_observer_or_a_row_filter_throws_an_error() {
        long conversation = api.createConversation("errors");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "observer-error");
            api.postMessage(conversation, "filter-error");
            api.postMessage(conversation, "after");
            JsonObject observed = client.next("change");
            assertEquals("observer-error", body(observed), "an observer's Error does not cost the change");
            JsonObject filtered = client.next("change");
            assertEquals("hidden", filtered.getJsonObject("event").getString("type"), "a filter's Error hides the row");
            JsonObject after = client.next("change");
            assertEquals("after", body(after));
            assertEquals(seq(observed) + 2, seq(after), "contiguous");
        }
        assertEquals(200, health("live").status(), "the engine lives on");
    }

    @Test
    void should_report_a_stuck_dispatch_engine_on_health_live_then_recover() throws Exception {
        Health live = health("live");
        assertEquals(200, live.status(), live.body());
        assertTrue(live.body().contains("rowcast-dispatch"), live.body());
        Health ready = health("ready");
        assertEquals(200, ready.status(), ready.body());
        assertTrue(ready.body().contains("rowcast"), ready.body());

        long conversation = api.createConversation("stuck");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "stall:4000");
            await(() -> health("live").status() == 503, Duration.ofMillis(3_500), "liveness DOWN while stuck");
            Health down = health("live");
            assertTrue(down.body().contains("rowcast-dispatch") && down.body().contains("DOWN"), down.body());
            api.postMessage(conversation, "meanwhile");
            await(() -> health("live").status() == 200, Duration.ofSeconds(10), "liveness UP again");
            assertEquals("stall:4000", body(client.next("change")));
            assertEquals("meanwhile", body(client.next("change")));
        }
    }

    @Test
    void should_resync_subscribers_with_replay_unavailable_and_a_snapshot_when_changes_are_dropped() {
        long conversation = api.createConversation("overflow");
        api.postMessage(conversation, "before");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "stall:3000");
            Set<String> posted = new HashSet<>(List.of("before", "stall:3000"));
            for (int i = 0; i < 24; i++) { // the queue holds 16 while the dispatch thread stalls
                api.postMessage(conversation, "burst " + i);
                posted.add("burst " + i);
            }
            JsonObject reset = null;
            JsonObject snapshot = null;
            while (snapshot == null) {
                JsonObject frame = client.next();
                if (frame.getString("type").equals("error")) {
                    reset = frame;
                } else if (frame.getString("type").equals("snapshot")) {
                    snapshot = frame;
                }
            }
            assertNotNull(reset, "dropped changes are never silent: replay_unavailable before the snapshot");
            assertEquals("replay_unavailable", reset.getString("code"), reset.toString());
            assertFalse(reset.containsKey("id"), "unsolicited");
            assertEquals("message", reset.getString("channel"));
            assertEquals(conversation, reset.getJsonObject("scope").getJsonNumber("value").longValue());
            assertEquals(reset.getJsonObject("position").getString("epoch"),
                    snapshot.getJsonObject("position").getString("epoch"), "the snapshot is of the new epoch");
            Set<String> rows = new HashSet<>();
            snapshot.getJsonArray("rows").forEach(row -> rows.add(row.asJsonObject().getString("body")));
            assertEquals(posted, rows, "the snapshot has every committed row, dropped ones included");

            api.postMessage(conversation, "after");
            JsonObject after = client.next("change");
            assertEquals("after", body(after));
            assertEquals(snapshot.getJsonObject("position").getString("epoch"),
                    after.getJsonObject("position").getString("epoch"));
            assertEquals(seq(snapshot) + 1, seq(after));
        }
    }

    @Test
    void should_send_a_snapshot_larger_than_the_outbound_bound_rather_than_close_with_4499() {
        long conversation = api.createConversation("big snapshot");
        for (int i = 0; i < 12; i++) {
            api.postMessage(conversation, i + "b".repeat(1_500));
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try (WsClient client = WsClient.connect(base)) {
                JsonObject snapshot = client.subscribeConversation(conversation);
                assertTrue(snapshot.toString().length() > 16_384, "bigger than the bound");
                assertEquals(12 + attempt, snapshot.getJsonArray("rows").size());
                api.postMessage(conversation, "small " + attempt);
                assertEquals("small " + attempt, body(client.next("change")));
                assertTrue(client.isOpen());
            }
        }
    }

    @Test
    void should_refuse_catch_up_beyond_the_sockets_budget_with_rate_limited() throws Exception {
        long conversation = api.createConversation("catch-up budget");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribe("message", "conversation_id", conversation);
            JsonObject snapshot = client.next("snapshot");
            String from = snapshot.getJsonObject("position").toString();
            for (int i = 0; i < 15; i++) {
                api.postMessage(conversation, "m" + i);
                client.next("change");
            }
            String resubscribe = WsClient.subscribeConversationFrame(conversation, from).replaceFirst("\\{",
                    "{\"id\":\"again\",");
            assertEquals("subscribed", client.request(resubscribe).getString("type"));
            for (int i = 0; i < 15; i++) {
                assertTrue(client.next("change").getBoolean("replayed"));
            }
            JsonObject refused = client.request(resubscribe); // 15 more events: over the burst of 20
            assertEquals("rate_limited", refused.getString("code", ""), refused.toString());
            assertEquals("again", refused.getString("id"));
            client.expectSilence(Duration.ofMillis(300));
            Thread.sleep(2_100); // the budget refills at 10 events a second
            assertEquals("subscribed", client.request(resubscribe).getString("type"));
            assertTrue(client.next("change").getBoolean("replayed"));
        }
    }

    @Test
    void should_refuse_snapshots_beyond_the_sockets_budget_with_rate_limited() {
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            conversations.add(api.createConversation("snapshot budget " + i));
        }
        try (WsClient client = WsClient.connect(base)) {
            for (int i = 0; i < 3; i++) {
                client.subscribeConversation(conversations.get(i));
            }
            JsonObject refused = client.request("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":" + conversations.get(3) + "}}");
            assertEquals("rate_limited", refused.getString("code", ""), refused.toString());
            assertEquals(4, refused.getInt("id"));
            api.postMessage(conversations.get(3), "not followed");
            client.expectSilence(Duration.ofMillis(500));
        }
    }

    private record Health(int status, String body) {
    }

    private Health health(String kind) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "health/" + kind))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Health(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new AssertionError("GET /health/" + kind, e);
        }
    }

    private static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + within);
            Thread.sleep(50);
        }
    }

    private static String body(JsonObject change) {
        return change.getJsonObject("event").getJsonObject("row").getString("body");
    }

    private static long seq(JsonObject frame) {
        return frame.getJsonObject("position").getJsonNumber("seq").longValue();
    }

}
