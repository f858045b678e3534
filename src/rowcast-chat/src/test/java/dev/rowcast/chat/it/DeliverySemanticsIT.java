package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.ChatApi.Reply;
import dev.rowcast.chat.it.support.ClientView;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Delivery guarantees over real sockets: positions, snapshot joined to live at one position, replay on reconnect,
 * commit order under contention, and a seeded model-based check that every client's view ends equal to the
 * database. Runs on H2, and on PostgreSQL with -Ppostgres.
 */
class DeliverySemanticsIT extends DeployedChat {

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final int REPLAY_WINDOW = 16; // it/semantics-web.xml

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForDeliverySemantics();
    }


    @Test
    void should_send_the_newest_rows_as_a_snapshot_then_changes_from_the_next_position() {
        long conversation = api.createConversation("snapshot");
        for (int i = 1; i <= 3; i++) {
            api.postMessage(conversation, "m" + i);
        }
        try (WsClient client = WsClient.connect(base)) {
            JsonObject subscribed = client.subscribe("message", "conversation_id", conversation);
            JsonObject snapshot = client.next("snapshot");
            assertEquals(List.of("m3", "m2", "m1"), bodies(snapshot.getJsonArray("rows")), "newest first");
            assertEquals(subscribed.getJsonObject("position"), snapshot.getJsonObject("position"));
            assertEquals(3, snapshot.getJsonObject("position").getJsonNumber("seq").longValue(),
                    "three changes happened on this stream");

            api.postMessage(conversation, "m4");
            JsonObject change = client.next("change");
            assertEquals(4, change.getJsonObject("position").getJsonNumber("seq").longValue());
            assertEquals(snapshot.getJsonObject("position").getString("epoch"),
                    change.getJsonObject("position").getString("epoch"));
        }
    }

    @Test
    void should_replay_what_a_client_missed_then_continue_live_without_duplicates() {
        long conversation = api.createConversation("replay");
        String from;
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "seen");
            JsonObject seen = client.next("change");
            from = seen.getJsonObject("position").toString();
        }
        for (int i = 1; i <= 5; i++) {
            api.postMessage(conversation, "missed " + i);
        }
        try (WsClient client = WsClient.connect(base)) {
            JsonObject subscribed = client.request(WsClient.subscribeConversationFrame(conversation, from));
            assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
            assertEquals(6, subscribed.getJsonObject("position").getJsonNumber("seq").longValue());
            for (int i = 1; i <= 5; i++) {
                JsonObject replayed = client.next("change");
                assertTrue(replayed.getBoolean("replayed", false), "marked replayed: " + replayed);
                assertEquals(1 + i, replayed.getJsonObject("position").getJsonNumber("seq").longValue());
                assertEquals("missed " + i, replayed.getJsonObject("event").getJsonObject("row").getString("body"));
            }
            api.postMessage(conversation, "live");
            JsonObject live = client.next("change");
            assertFalse(live.containsKey("replayed"));
            assertEquals(7, live.getJsonObject("position").getJsonNumber("seq").longValue());
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_catch_up_on_the_same_socket_when_a_subscribed_client_resubscribes_with_its_cursor() {
        long conversation = api.createConversation("catch up");
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "one");
            String from = client.next("change").getJsonObject("position").toString();
            api.postMessage(conversation, "two");
            api.postMessage(conversation, "three");
            assertEquals(2, client.next("change").getJsonObject("position").getJsonNumber("seq").longValue());
            assertEquals(3, client.next("change").getJsonObject("position").getJsonNumber("seq").longValue());
            // a client that thinks it missed something asks again from its cursor, without leaving the stream
            JsonObject subscribed = client.request(WsClient.subscribeConversationFrame(conversation, from));
            assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
            for (long seq = 2; seq <= 3; seq++) {
                JsonObject replayed = client.next("change");
                assertTrue(replayed.getBoolean("replayed", false), "marked replayed: " + replayed);
                assertEquals(seq, replayed.getJsonObject("position").getJsonNumber("seq").longValue());
            }
            api.postMessage(conversation, "four");
            JsonObject live = client.next("change");
            assertEquals(4, live.getJsonObject("position").getJsonNumber("seq").longValue(), "still one stream");
            client.expectSilence(QUIET);
        }
    }

    @Test
    void should_say_replay_unavailable_then_send_a_snapshot_when_the_cursor_is_out_of_the_window_or_epoch() {
        long conversation = api.createConversation("window");
        String from;
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            api.postMessage(conversation, "first");
            from = client.next("change").getJsonObject("position").toString();
        }
        for (int i = 0; i < REPLAY_WINDOW + 1; i++) {
            api.postMessage(conversation, "overrun " + i);
        }
        String foreignEpoch = "{\"epoch\":\"another-server\",\"seq\":1}";
        for (String cursor : List.of(from, foreignEpoch)) {
            try (WsClient client = WsClient.connect(base)) {
                assertEquals("subscribed", client.request(WsClient.subscribeConversationFrame(conversation, cursor)).getString("type"));
                assertEquals("replay_unavailable", client.next("error").getString("code"));
                JsonObject snapshot = client.next("snapshot");
                assertEquals(REPLAY_WINDOW + 2, snapshot.getJsonArray("rows").size());
                assertEquals(REPLAY_WINDOW + 2, snapshot.getJsonObject("position").getJsonNumber("seq").longValue());
                client.expectSilence(QUIET);
            }
        }
    }

    @Test
    void should_report_snapshot_unavailable_and_keep_the_subscription_live_when_the_snapshot_fails() {
        try (WsClient client = WsClient.connect(base)) {
            JsonObject subscribed = client.request("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"fragile_note\","
                    + "\"scope\":{\"col\":\"topic\",\"value\":77}}");
            assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
            JsonObject error = client.next("error");
            assertEquals("snapshot_unavailable", error.getString("code"));
            assertEquals(3, error.getInt("id"));

            assertEquals(204, api.call("POST", "api/it/fragile/77", null).status());
            JsonObject change = client.next("change");
            assertEquals("afterInsert", change.getJsonObject("event").getString("type"));
            assertEquals(77, change.getJsonObject("event").getJsonObject("row").getInt("topic"));
            assertEquals(1, change.getJsonObject("position").getJsonNumber("seq").longValue());
        }
    }

    /**
     * The first edit commits, but its after-completion callbacks are held back 1.5 s; the second edit commits and
     * completes meanwhile. Without commit ordering the second edit's frame would go first and the client would end
     * on the first, stale, body.
     */
    @Test
    void should_deliver_commits_of_one_row_in_commit_order_when_their_callbacks_run_the_other_way_round()
            throws Exception {
        long conversation = api.createConversation("callback order");
        long id = api.postMessage(conversation, "start").getJsonNumber("id").longValue();
        try (WsClient client = WsClient.connect(base)) {
            client.subscribeConversation(conversation);
            CompletableFuture<ChatApi.Reply> first = CompletableFuture.supplyAsync(
                    () -> api.call("PUT", "api/it/delayed-edit/" + id + "?body=first&delayMs=1500", null));
            awaitBody(conversation, "first"); // committed; its callbacks still sleep
            ChatApi.Reply second = api.call("PUT", "api/messages/" + id, "{\"body\":\"second\"}");
            assertEquals(200, second.status(), second.body());
            assertFalse(first.isDone(), "the first edit's callbacks were still held back when the second completed");
            assertEquals(204, first.get(30, TimeUnit.SECONDS).status());

            JsonObject a = client.next("change");
            JsonObject b = client.next("change");
            assertEquals("first", a.getJsonObject("event").getJsonObject("row").getString("body"), a.toString());
            assertEquals("second", b.getJsonObject("event").getJsonObject("row").getString("body"), b.toString());
            assertEquals(a.getJsonObject("position").getJsonNumber("seq").longValue() + 1,
                    b.getJsonObject("position").getJsonNumber("seq").longValue());
            client.expectSilence(QUIET);
        }
    }

    private void awaitBody(long conversation, String body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bodies(messages(conversation)).contains(body)) {
            assertTrue(System.nanoTime() < deadline, "the edit to '" + body + "' never committed");
            Thread.sleep(20);
        }
    }

    @Test
    void should_deliver_a_hammered_rows_final_committed_state_last() throws Exception {
        long conversation = api.createConversation("hammer");
        long id = api.postMessage(conversation, "start").getJsonNumber("id").longValue();
        try (WsClient client = WsClient.connect(base)) {
            ClientView view = new ClientView();
            client.subscribe("message", "conversation_id", conversation);
            view.accept(client.next("snapshot"));
            ExecutorService writers = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        api.call("PUT", "api/messages/" + id, "{\"body\":\"t" + thread + "-" + i + "\"}");
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
            writers.shutdown();
            drain(client, view);
            String committed = messages(conversation).getJsonObject(0).getString("body");
            assertEquals(List.of(), view.violations());
            assertEquals(committed, view.rows().get(id).getString("body"),
                    "the last frame must carry the row's final committed state");
        }
    }

    @Test
    void should_join_snapshot_and_live_exactly_once_while_inserts_race_the_subscription() throws Exception {
        long conversation = api.createConversation("race");
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> inserts = writer.submit(() -> {
            for (int i = 0; i < 90 && writing.get(); i++) {
                api.postMessage(conversation, "race " + i);
            }
        });
        List<ClientView> views = new ArrayList<>();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Thread.sleep(60);
                WsClient client = WsClient.connect(base);
                clients.add(client);
                client.send(WsClient.subscribeConversationFrame(conversation, null));
                views.add(new ClientView());
            }
            inserts.get(120, TimeUnit.SECONDS);
            for (int i = 0; i < clients.size(); i++) {
                drain(clients.get(i), views.get(i));
            }
            Set<Long> committed = ids(messages(conversation));
            for (ClientView view : views) {
                assertEquals(List.of(), view.violations(), "no gap, no duplicate");
                assertEquals(committed, view.rows().keySet(), "every insert exactly once, in snapshot or after");
            }
        } finally {
            writing.set(false);
            writer.shutdownNow();
            clients.forEach(WsClient::close);
        }
    }

    /**
     * Writers insert, edit, move and delete at random across three conversations while clients subscribe, drop their
     * socket and resubscribe from their cursor at random. At the end every client's view of every conversation must
     * equal the database, with no gap or duplicate seen on the way. Seeded: the seed is in the failure message.
     */
    @Test
    void should_leave_every_reconnecting_client_with_the_committed_state() throws Exception {
        long seed = Long.getLong("rowcast.it.seed", System.nanoTime());
        String context = "seed " + seed + " (rerun with -Drowcast.it.seed=" + seed + ")";
        Random random = new Random(seed);
        List<Long> conversations = List.of(api.createConversation("model-a"), api.createConversation("model-b"),
                api.createConversation("model-c"));
        Set<Long> known = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            long writerSeed = random.nextLong();
            writers.add(pool.submit(() -> write(new Random(writerSeed), conversations, known, 40)));
        }
        Map<Long, ClientView> finalViews = new ConcurrentHashMap<>();
        List<Future<List<String>>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long readerSeed = random.nextLong();
            long conversation = conversations.get(r);
            readers.add(pool.submit(() -> {
                ClientView view = new ClientView();
                reconnectAtRandom(new Random(readerSeed), conversation, view, writing);
                finalViews.put(conversation, view);
                return view.violations();
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(180, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (Future<List<String>> reader : readers) {
            assertEquals(List.of(), reader.get(180, TimeUnit.SECONDS), context);
        }
        pool.shutdown();
        for (long conversation : conversations) {
            Map<Long, JsonObject> view = finalViews.get(conversation).rows();
            JsonArray committed = messages(conversation);
            assertEquals(ids(committed), view.keySet(), context + ": ids of conversation " + conversation);
            for (JsonValue value : committed) {
                JsonObject row = value.asJsonObject();
                JsonObject seen = view.get(row.getJsonNumber("id").longValue());
                assertEquals(row.getString("body"), seen.getString("body"), context);
                assertEquals(conversation, seen.getJsonNumber("conversation_id").longValue(), context);
            }
        }
    }

    private void write(Random random, List<Long> conversations, Set<Long> known, int operations) {
        for (int i = 0; i < operations; i++) {
            List<Long> ids = new ArrayList<>(known);
            int op = ids.isEmpty() ? 0 : random.nextInt(10);
            long conversation = conversations.get(random.nextInt(conversations.size()));
            if (op < 4) {
                Reply reply = api.call("POST", "api/conversations/" + conversation + "/messages",
                        "{\"body\":\"b" + random.nextInt(1000) + "\"}");
                if (reply.status() == 201) {
                    known.add(reply.object().getJsonNumber("id").longValue());
                }
            } else {
                long id = ids.get(random.nextInt(ids.size()));
                if (op < 7) {
                    api.call("PUT", "api/messages/" + id, "{\"body\":\"e" + random.nextInt(1000) + "\"}");
                } else if (op < 9) {
                    api.call("PUT", "api/messages/" + id, "{\"conversationId\":" + conversation + "}");
                } else if (api.call("DELETE", "api/messages/" + id, null).status() == 204) {
                    known.remove(id);
                }
            }
        }
    }

    /** Subscribes, reads a while, drops the socket, resubscribes from the cursor; at the end reads until quiet. */
    private List<String> reconnectAtRandom(Random random, long conversation, ClientView view, AtomicBoolean writing) {
        while (writing.get()) {
            try (WsClient client = WsClient.connect(base)) {
                client.send(WsClient.subscribeConversationFrame(conversation, view.from()));
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(400));
                while (System.nanoTime() < until) {
                    JsonObject frame = client.nextOrNull(Duration.ofMillis(20));
                    if (frame != null) {
                        view.accept(frame);
                    }
                }
            }
        }
        try (WsClient client = WsClient.connect(base)) {
            client.send(WsClient.subscribeConversationFrame(conversation, view.from()));
            drain(client, view);
        }
        return view.violations();
    }

    /** Applies frames until none has come for a second. */
    private static void drain(WsClient client, ClientView view) {
        for (JsonObject frame = client.nextOrNull(Duration.ofSeconds(1)); frame != null;
                frame = client.nextOrNull(Duration.ofSeconds(1))) {
            view.accept(frame);
        }
    }

    private JsonArray messages(long conversation) {
        Reply reply = api.call("GET", "api/conversations/" + conversation + "/messages", null);
        assertEquals(200, reply.status(), reply.body());
        return (JsonArray) reply.json();
    }

    private static Set<Long> ids(JsonArray rows) {
        Set<Long> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.asJsonObject().getJsonNumber("id").longValue()));
        return ids;
    }

    private static List<String> bodies(JsonArray rows) {
        return rows.stream().map(row -> row.asJsonObject().getString("body")).toList();
    }
}
