package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.ClientView;
import dev.rowcast.chat.it.support.ClusterNode;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Cluster mode on real processes (-Ppostgres only): two Payara Micro instances of the reference WAR on PostgreSQL
 * and a Redis server of the test's own (so it can be restarted, and other builds' Redis is left alone), all on
 * loopback, each stopped by its PID. The kill -9 test runs last: it takes instance A away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration QUIET = Duration.ofMillis(700);

    private static Process redis;
    private static int redisPort;
    private static Path redisDir;
    private static ClusterNode a;
    private static ClusterNode b;
    private static ChatApi apiA;
    private static ChatApi apiB;

    @BeforeAll
    static void startCluster() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        redisDir = Files.createTempDirectory("rowcast-it-redis-");
        startRedis();
        Map<String, String> settings = Map.of("rowcast.cluster.redis", "redis://127.0.0.1:" + redisPort,
                "rowcast.cluster.leaseMillis", "2000",
                "rowcast.cluster.userSubscribesPerSecond", "1",
                "rowcast.cluster.userSubscribesBurst", "20",
                "rowcast.cluster.keyPrefix", "rowcast-it-" + System.nanoTime(),
                "rowcast.capture.database", "message, membership",
                "rowcast.capture.installTriggers", "true");
        a = ClusterNode.start("a", settings);
        b = ClusterNode.start("b", settings);
        a.awaitReady();
        b.awaitReady();
        apiA = new ChatApi(a.base());
        apiB = new ChatApi(b.base());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ClusterNode node : new ClusterNode[] { a, b }) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A Redis without persistence: stopping it loses everything, as a restart of a cache would. */
    private static void startRedis() throws IOException, InterruptedException {
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", redisDir.toString())
                .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(redisDir.resolve("redis.log")).contains("Ready to accept connections")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("redis-server did not start");
    }

    @Test
    @Order(1)
    void should_deliver_a_write_on_either_instance_to_subscribers_on_both_exactly_once() throws Exception {
        Metrics beforeA = Metrics.scrape(a.base());
        Metrics beforeB = Metrics.scrape(b.base());
        long conversation = apiA.createConversation("cluster fan-out");
        try (WsClient onA = WsClient.connect(a.base()); WsClient onB = WsClient.connect(b.base())) {
            onA.subscribeConversation(conversation);
            onB.subscribeConversation(conversation);
            for (int i = 0; i < 10; i++) {
                (i % 2 == 0 ? apiA : apiB).postMessage(conversation, "m" + i);
            }
            List<JsonObject> seenOnA = changes(onA, 10);
            List<JsonObject> seenOnB = changes(onB, 10);
            for (int i = 0; i < 10; i++) {
                assertEquals("m" + i, body(seenOnA.get(i)), "commit order on A");
                assertEquals("m" + i, body(seenOnB.get(i)), "commit order on B");
                assertEquals(seenOnA.get(i).getJsonObject("position"), seenOnB.get(i).getJsonObject("position"),
                        "one position cluster-wide");
                if (i > 0) {
                    assertEquals(seq(seenOnA.get(i - 1)) + 1, seq(seenOnA.get(i)), "contiguous");
                }
            }
            onA.expectSilence(QUIET);
            onB.expectSilence(QUIET);
        }
        // each instance read the ten rows (and the conversation's membership) off the log, and timed each
        for (Metrics[] scrapes : List.of(new Metrics[] {beforeA, Metrics.scrape(a.base())},
                new Metrics[] {beforeB, Metrics.scrape(b.base())})) {
            double read = delta(scrapes, "rowcast_cluster_bus_lag_seconds_count", "");
            assertTrue(read >= 10 && read <= 12, read + "\n" + scrapes[1].rowcast());
            assertEquals(0, delta(scrapes, "rowcast_cluster_log_read_errors_total", ""), scrapes[1].rowcast());
        }
        assertEquals(1, Metrics.scrape(a.base()).value("rowcast_cluster_relay_lease_held", "")
                + Metrics.scrape(b.base()).value("rowcast_cluster_relay_lease_held", ""), "one relay in the cluster");
    }

    @Test
    @Order(2)
    void should_resume_on_b_with_a_cursor_from_a_with_exactly_the_missed_changes() throws Exception {
        long conversation = apiA.createConversation("cluster resume");
        apiA.addMember(conversation, "eve");
        JsonObject cursor;
        // eve follows on A only: B learns where she joined from the grants every instance shares
        try (WsClient onA = WsClient.connect(a.base(), "eve")) {
            onA.subscribeConversation(conversation);
            for (int i = 0; i < 3; i++) {
                apiA.postMessage(conversation, "before " + i);
            }
            cursor = changes(onA, 3).get(2).getJsonObject("position");
        }
        try (WsClient watcher = WsClient.connect(b.base())) {
            watcher.subscribeConversation(conversation);
            for (int i = 0; i < 4; i++) {
                (i % 2 == 0 ? apiA : apiB).postMessage(conversation, "missed " + i);
            }
            changes(watcher, 4); // B has delivered them: its history head is past the cursor
            try (WsClient resumed = WsClient.connect(b.base(), "eve")) {
                resumed.send(WsClient.subscribeConversationFrame(conversation, cursor.toString()));
                assertEquals("subscribed", resumed.next().getString("type"));
                for (int i = 0; i < 4; i++) {
                    JsonObject replayed = resumed.next("change");
                    assertTrue(replayed.getBoolean("replayed", false), "replayed: " + replayed);
                    assertEquals(cursor.getString("epoch"), replayed.getJsonObject("position").getString("epoch"));
                    assertEquals(cursor.getJsonNumber("seq").longValue() + 1 + i, seq(replayed), "contiguous");
                    assertEquals("missed " + i, body(replayed));
                }
                apiB.postMessage(conversation, "live");
                JsonObject live = resumed.next("change");
                assertFalse(live.containsKey("replayed"));
                assertEquals("live", body(live));
                assertEquals(cursor.getJsonNumber("seq").longValue() + 5, seq(live));
                resumed.expectSilence(QUIET);
            }
        }
    }

    /**
     * Writers on A and on B edit the same rows at once (the entity has @Version; a writer retries a 409): every
     * client, on either instance, ends with the database's state of every row, with no gap or duplicate on the way.
     */
    @Test
    @Order(3)
    void should_leave_every_client_with_the_databases_rows_when_both_instances_write_the_same_rows() throws Exception {
        long conversation = apiA.createConversation("cluster hammer");
        List<Long> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(apiA.postMessage(conversation, "row " + i).getJsonNumber("id").longValue());
        }
        List<WsClient> clients = new ArrayList<>();
        List<ClientView> views = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                WsClient client = WsClient.connect((c % 2 == 0 ? a : b).base());
                clients.add(client);
                ClientView view = new ClientView();
                client.subscribe("message", "conversation_id", conversation);
                view.accept(client.next("snapshot"));
                views.add(view);
            }
            long seed = System.nanoTime();
            AtomicInteger conflicts = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                ChatApi api = t % 2 == 0 ? apiA : apiB;
                Random random = new Random(seed + t);
                int writer = t;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        long id = rows.get(random.nextInt(rows.size()));
                        String body = "{\"body\":\"w" + writer + "-" + i + "\"}";
                        int status = api.call("PUT", "api/messages/" + id, body).status();
                        for (int attempt = 0; status == 409 && attempt < 50; attempt++) {
                            conflicts.incrementAndGet(); // the other instance committed first: write again
                            status = api.call("PUT", "api/messages/" + id, body).status();
                        }
                        assertEquals(200, status, "PUT " + id);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(180, TimeUnit.SECONDS);
            }
            writers.shutdown();
            JsonArray committed = (JsonArray) apiA.call("GET", "api/conversations/" + conversation + "/messages",
                    null).json();
            Map<Long, String> database = new HashMap<>();
            committed.forEach(row -> database.put(row.asJsonObject().getJsonNumber("id").longValue(),
                    row.asJsonObject().getString("body")));
            assertEquals(rows.size(), database.size());
            for (int c = 0; c < clients.size(); c++) {
                ClientView view = views.get(c);
                WsClient client = clients.get(c);
                for (JsonObject frame = client.nextOrNull(Duration.ofSeconds(2)); frame != null;
                        frame = client.nextOrNull(Duration.ofSeconds(2))) {
                    view.accept(frame);
                }
                Map<Long, String> seen = new HashMap<>();
                view.rows().forEach((id, row) -> seen.put(id, row.getString("body")));
                String which = "client " + c + " on " + (c % 2 == 0 ? "A" : "B") + " (seed " + seed + ", "
                        + conflicts.get() + " conflicts retried)";
                assertEquals(List.of(), view.violations(), which);
                assertEquals(database, seen, which + ": the database's final state of every row");
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    /** One bucket per user for the whole cluster: bob's 30 quick subscribes, half on each instance, pass 20 or so. */
    @Test
    @Order(4)
    void should_hold_a_users_subscribe_limit_across_instances() throws Exception {
        int passed = 0;
        int limited = 0;
        Instant started = Instant.now();
        try (WsClient onA = WsClient.connect(a.base(), "bob"); WsClient onB = WsClient.connect(b.base(), "bob")) {
            for (int i = 0; i < 30; i++) {
                WsClient client = i % 2 == 0 ? onA : onB;
                client.send("{\"type\":\"subscribe\",\"id\":\"s" + i + "\",\"channel\":\"message\",\"scope\":"
                        + "{\"col\":\"conversation_id\",\"value\":" + (900_000 + i) + "}}");
                JsonObject reply = client.next();
                while (!("s" + i).equals(reply.getString("id", null))) {
                    reply = client.next(); // a snapshot of an earlier subscribe
                }
                if ("rate_limited".equals(reply.getString("code", null))) {
                    limited++;
                } else {
                    passed++;
                }
            }
        }
        long refilled = Duration.between(started, Instant.now()).toSeconds() + 1;
        assertTrue(passed >= 20 && passed <= 20 + refilled, "the burst of 20 for both instances together: " + passed);
        assertEquals(30 - passed, limited);
    }

    /**
     * Redis stopped and started again empty while writes go on: subscribers are told (replay_unavailable, then a
     * snapshot), nothing committed is missing from what they were sent, and delivery resumes without a restart.
     */
    @Test
    @Order(5)
    void should_resync_and_resume_when_redis_restarts_empty_during_writes() throws Exception {
        long conversation = apiA.createConversation("cluster redis restart");
        try (WsClient onA = WsClient.connect(a.base()); WsClient onB = WsClient.connect(b.base())) {
            onA.subscribeConversation(conversation);
            onB.subscribeConversation(conversation);
            List<String> written = new ArrayList<>();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    apiB.postMessage(conversation, "w" + i);
                    written.add("w" + i);
                    sleep(50);
                }
                return null;
            });
            Metrics beforeA = Metrics.scrape(a.base());
            Metrics beforeB = Metrics.scrape(b.base());
            sleep(800);
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // the test's own Redis, by its PID
            for (ClusterNode node : List.of(a, b)) {
                awaitReadiness(node, 503, "DOWN while Redis is away");
                assertTrue(node.body("/health/ready").contains("redis-cluster"), node.body("/health/ready"));
            }
            sleep(1_000);
            startRedis();
            for (ClusterNode node : List.of(a, b)) {
                awaitReadiness(node, 200, "UP again once Redis is back");
            }
            writes.get(60, TimeUnit.SECONDS);
            writer.shutdown();
            for (Metrics[] scrapes : List.of(new Metrics[] {beforeA, Metrics.scrape(a.base())},
                    new Metrics[] {beforeB, Metrics.scrape(b.base())})) {
                assertTrue(delta(scrapes, "rowcast_cluster_log_read_errors_total", "") >= 1, scrapes[1].rowcast());
                assertTrue(delta(scrapes, "rowcast_cluster_log_reconnects_total", "") >= 1, scrapes[1].rowcast());
            }
            apiA.postMessage(conversation, "after");
            written.add("after");
            for (WsClient client : List.of(onA, onB)) {
                Set<String> known = new HashSet<>();
                boolean reset = false;
                boolean sawAfter = false;
                Instant deadline = Instant.now().plusSeconds(30);
                while (!sawAfter && Instant.now().isBefore(deadline)) {
                    JsonObject frame = client.nextOrNull(Duration.ofSeconds(1));
                    if (frame == null) {
                        continue;
                    }
                    switch (frame.getString("type")) {
                        case "change" -> {
                            known.add(body(frame));
                            sawAfter = "after".equals(body(frame));
                        }
                        case "snapshot" -> frame.getJsonArray("rows").forEach(row -> known.add(
                                row.asJsonObject().getString("body")));
                        case "error" -> reset |= "replay_unavailable".equals(frame.getString("code"));
                        default -> {
                        }
                    }
                }
                assertTrue(sawAfter, "delivery resumed after Redis came back");
                assertTrue(reset, "subscribers were told their history was lost");
                assertTrue(known.containsAll(written), "every committed message was sent as a change or in a "
                        + "snapshot; missing: " + written.stream().filter(w -> !known.contains(w)).toList());
            }
        }
    }

    /** Cluster mode with a channel left on JPA capture: the deployment fails and says how to fix it. */
    @Test
    @Order(6)
    void should_fail_deployment_when_a_channel_is_not_captured_from_the_database() throws Exception {
        try (ClusterNode c = ClusterNode.start("c", Map.of("rowcast.cluster.redis", "redis://127.0.0.1:" + redisPort,
                "rowcast.cluster.keyPrefix", "rowcast-it-c-" + System.nanoTime()))) {
            AssertionError failed = null;
            try {
                c.awaitReady();
            } catch (AssertionError e) {
                failed = e;
            }
            assertTrue(failed != null, "the deployment failed");
            String log = c.log();
            assertTrue(java.util.regex.Pattern.compile("channels \\[[^\\]]*\\bmessage\\b[^\\]]*\\] are not captured "
                    + "from the database").matcher(log).find(), "names the channels");
            assertTrue(log.contains("Fix: set rowcast.capture.database=*"), "names the fix");
            // failed in the web listener, Payara answers 500 rather than the 404 of a failed CDI extension
            assertTrue(c.get("/") >= 400, "the application is not served");
        }
    }

    /**
     * kill -9 of the instance holding the relay lease while writes go on through the other: its clients move to the
     * survivor with their cursors, miss nothing, get nothing twice; the survivor takes the lease over and relays
     * from the cursor.
     */
    @Test
    @Order(7)
    void should_lose_nothing_when_the_relaying_instance_is_killed_during_writes() throws Exception {
        ClusterNode doomed = relaying(a) ? a : b;
        ClusterNode survivor = doomed == a ? b : a;
        ChatApi api = new ChatApi(survivor.base());
        long conversation = api.createConversation("cluster kill");
        List<WsClient> onDoomed = new ArrayList<>();
        List<List<String>> received = new ArrayList<>();
        List<JsonObject> cursors = new ArrayList<>();
        try (WsClient watcher = WsClient.connect(survivor.base())) {
            watcher.subscribeConversation(conversation);
            for (int i = 0; i < 3; i++) {
                WsClient client = WsClient.connect(doomed.base());
                client.subscribeConversation(conversation);
                onDoomed.add(client);
                received.add(new ArrayList<>());
                cursors.add(null);
            }
            int total = 80;
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < total; i++) {
                    api.postMessage(conversation, "k" + i);
                    sleep(30);
                }
                return null;
            });
            sleep(1_000);
            doomed.kill(); // SIGKILL of our own child, by its PID
            // what each client had read before the connection broke
            for (int c = 0; c < onDoomed.size(); c++) {
                for (JsonObject frame = onDoomed.get(c).nextOrNull(QUIET); frame != null;
                        frame = onDoomed.get(c).nextOrNull(QUIET)) {
                    if ("change".equals(frame.getString("type"))) {
                        received.get(c).add(body(frame));
                        cursors.set(c, frame.getJsonObject("position"));
                    }
                }
            }
            writes.get(60, TimeUnit.SECONDS);
            writer.shutdown();
            List<JsonObject> watched = changes(watcher, total); // the survivor delivered everything
            for (int i = 0; i < total; i++) {
                assertEquals("k" + i, body(watched.get(i)));
            }
            watcher.expectSilence(QUIET);
            assertTrue(relaying(survivor), "the survivor took the relay lease over");
            List<String> all = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                all.add("k" + i);
            }
            for (int c = 0; c < onDoomed.size(); c++) {
                JsonObject cursor = cursors.get(c);
                assertTrue(cursor != null, "client " + c + " read something before the kill");
                try (WsClient moved = WsClient.connect(survivor.base())) {
                    moved.send(WsClient.subscribeConversationFrame(conversation, cursor.toString()));
                    assertEquals("subscribed", moved.next().getString("type"));
                    long expected = cursor.getJsonNumber("seq").longValue() + 1;
                    while (received.get(c).size() < total) {
                        JsonObject change = moved.next("change");
                        assertTrue(change.getBoolean("replayed", false), "replayed: " + change);
                        assertEquals(expected++, seq(change), "contiguous from the cursor");
                        received.get(c).add(body(change));
                    }
                    moved.expectSilence(QUIET);
                }
                assertEquals(all, received.get(c), "client " + c + ": every write once, in order");
            }
        } finally {
            onDoomed.forEach(WsClient::close);
        }
    }

    private static void awaitReadiness(ClusterNode node, int status, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        int now = node.get("/health/ready");
        while (now != status) {
            assertTrue(Instant.now().isBefore(deadline), what + ": /health/ready answers " + now + " on " + node.base());
            sleep(100);
            now = node.get("/health/ready");
        }
    }

    private static double delta(Metrics[] beforeAndAfter, String name, String label) {
        return beforeAndAfter[1].value(name, label) - beforeAndAfter[0].value(name, label);
    }

    /** Whether the node's last word on the lease is that it holds it. */
    private static boolean relaying(ClusterNode node) throws IOException {
        String log = node.log();
        return log.lastIndexOf("holds the relay lease") > log.lastIndexOf("lost the relay lease");
    }

    private static List<JsonObject> changes(WsClient client, int count) {
        List<JsonObject> changes = new ArrayList<>();
        while (changes.size() < count) {
            changes.add(client.next("change"));
        }
        return changes;
    }

    private static String body(JsonObject change) {
        return change.getJsonObject("event").getJsonObject("row").getString("body");
    }

    private static long seq(JsonObject frame) {
        return frame.getJsonObject("position").getJsonNumber("seq").longValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
