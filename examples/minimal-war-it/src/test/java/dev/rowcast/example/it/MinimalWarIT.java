package dev.rowcast.example.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The getting-started path end to end: examples/minimal-war, built by Maven against the library of this build, runs
 * on Payara Micro with the command README.md gives, and a real WebSocket client receives what the README promises.
 * One server for the whole class: its boot is most of the time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MinimalWarIT {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The front end on another origin that README.md allows with one setting. */
    private static final String DEV_SERVER = "http://localhost:5173";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process payara;
    private static Path log;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path example = Path.of(System.getProperty("rowcast.example.dir", Readme.EXAMPLE.toString()));
        assertTrue(Files.isRegularFile(example.resolve("target/minimal-war.war")),
                "build the example first (mvn verify from the repository root does)");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // README.md's run command, word for word, on a free port instead of 8080
        List<String> command = new ArrayList<>(new Readme().commandStartingWith("java -jar "));
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--port", String.valueOf(port)));
        log = Files.createTempFile("minimal-war-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(example.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // the README's one setting for a front end on another origin, as an environment variable
        builder.environment().put("ROWCAST_SECURITY_ALLOWEDORIGINS", DEV_SERVER);
        payara = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(payara::destroyForcibly));
        Instant deadline = Instant.now().plus(STARTUP);
        while (!log().contains(" ready in ")) {
            if (!payara.isAlive()) {
                fail("Payara Micro exited with " + payara.exitValue() + ":\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                fail("Payara Micro was not ready within " + STARTUP + ":\n" + tail());
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (payara != null) {
            payara.destroy(); // SIGTERM to this process only: Payara Micro shuts down gracefully
            if (!payara.waitFor(30, TimeUnit.SECONDS)) {
                payara.destroyForcibly();
            }
        }
    }

    /** What README.md's "Check that it deployed" tells a user to look for. */
    @Test
    @Order(1)
    void should_deploy_as_the_readme_says_to_check() throws Exception {
        String text = log();
        assertContains(text, "Rowcast: com.example.board.Task is reactive on channel 'task' with scopes [board_id]");
        assertContains(text, "Rowcast: endpoint ready at /ws");
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertContains(health.body(), "\"status\":\"UP\"");
    }

    @Test
    @Order(2)
    void should_send_insert_update_and_delete_of_a_task_to_its_boards_subscribers() throws Exception {
        long board = post("/api/boards", "{\"name\":\"home\"}").getJsonNumber("id").longValue();
        try (Socket socket = Socket.open(Map.of())) {
            JsonObject subscribed = socket.request("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"task\","
                    + "\"scope\":{\"col\":\"board_id\",\"value\":" + board + "}}");
            assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
            assertEquals("s1", subscribed.getString("id"));
            JsonObject snapshot = socket.next();
            assertEquals("snapshot", snapshot.getString("type"), snapshot.toString());
            assertEquals(0, snapshot.getJsonArray("rows").size());

            long task = post("/api/boards/" + board + "/tasks", "{\"title\":\"milk\"}").getJsonNumber("id")
                    .longValue();
            JsonObject insert = socket.change("afterInsert");
            assertEquals(1, insert.getJsonObject("position").getInt("seq"));
            assertEquals(task, insert.getJsonObject("event").getJsonObject("primaryKey").getJsonNumber("id")
                    .longValue());
            JsonObject row = insert.getJsonObject("event").getJsonObject("row");
            assertEquals("milk", row.getString("title"));
            assertEquals(board, row.getJsonNumber("board_id").longValue());
            assertEquals(false, row.getBoolean("done"));

            put("/api/tasks/" + task, "{\"title\":\"oat milk\",\"done\":true}");
            JsonObject update = socket.change("afterUpdate").getJsonObject("event");
            assertEquals("oat milk", update.getJsonObject("row").getString("title"));
            assertTrue(update.getJsonArray("changed").toString().contains("\"title\""), update.toString());
            assertTrue(update.getJsonArray("changed").toString().contains("\"done\""), update.toString());
            assertEquals("milk", update.getJsonObject("previous").getString("title"));

            assertEquals(204, send("DELETE", "/api/tasks/" + task, null).statusCode());
            JsonObject delete = socket.change("afterDelete");
            assertEquals(3, delete.getJsonObject("position").getInt("seq"));
            assertEquals("oat milk", delete.getJsonObject("event").getJsonObject("row").getString("title"));
        }
    }

    /** A move is a leave on the old board's stream (the task as it was there) and an enter on the new one's. */
    @Test
    @Order(3)
    void should_send_leave_and_enter_when_a_task_moves_and_snapshot_the_new_board() throws Exception {
        long from = post("/api/boards", "{\"name\":\"from\"}").getJsonNumber("id").longValue();
        long to = post("/api/boards", "{\"name\":\"to\"}").getJsonNumber("id").longValue();
        long task = post("/api/boards/" + from + "/tasks", "{\"title\":\"wander\"}").getJsonNumber("id").longValue();
        try (Socket socket = Socket.open(Map.of())) {
            socket.subscribe(from);
            assertEquals(1, socket.next().getJsonArray("rows").size(), "the snapshot has the task");
            socket.subscribe(to);
            assertEquals(0, socket.next().getJsonArray("rows").size());

            put("/api/tasks/" + task, "{\"board\":" + to + "}");
            // one frame per stream; their order between the two streams is not defined
            JsonObject first = socket.change(null);
            JsonObject second = socket.change(null);
            JsonObject leave = first.getJsonObject("event").getString("type").equals("leave") ? first : second;
            JsonObject enter = leave == first ? second : first;
            assertEquals(from, leave.getJsonObject("scope").getJsonNumber("value").longValue());
            assertEquals("enter", enter.getJsonObject("event").getString("type"));
            assertEquals(to, enter.getJsonObject("scope").getJsonNumber("value").longValue());
            JsonObject event = enter.getJsonObject("event");
            assertEquals(to, event.getJsonObject("row").getJsonNumber("board_id").longValue());
            assertFalse(event.containsKey("previous"), "the new board never saw the old state: " + event);
            assertEquals(from, leave.getJsonObject("event").getJsonObject("row").getJsonNumber("board_id")
                    .longValue(), "the old board learns only that its task left");
        }
        try (Socket late = Socket.open(Map.of())) {
            late.subscribe(to);
            JsonObject snapshot = late.next();
            assertEquals(1, snapshot.getJsonArray("rows").size(), snapshot.toString());
            assertEquals("wander", snapshot.getJsonArray("rows").getJsonObject(0).getString("title"));
        }
    }

    /** No security constraint: anyone may connect, but a browser page only from an allowed origin. */
    @Test
    @Order(4)
    void should_admit_the_allowed_front_end_and_refuse_other_origins_with_403() throws Exception {
        try (Socket socket = Socket.open(Map.of("Origin", DEV_SERVER))) {
            assertEquals("pong", socket.request("{\"type\":\"ping\"}").getString("type"));
        }
        Throwable refused = null;
        try {
            Socket.open(Map.of("Origin", "http://localhost:3000")).close();
        } catch (AssertionError e) {
            refused = e.getCause() instanceof ExecutionException failed ? failed.getCause() : e;
        }
        assertNotNull(refused, "a handshake from another origin must be refused");
        WebSocketHandshakeException refusal = assertInstanceOf(WebSocketHandshakeException.class, refused,
                String.valueOf(refused));
        assertEquals(403, refusal.getResponse().statusCode());
    }

    /** README.md names every warning a user sees when the example runs; a new one fails until it is named there. */
    @Test
    @Order(5)
    void should_log_no_warning_the_readme_does_not_name() throws Exception {
        Map<String, String> documented = new Readme().documentedWarnings();
        assertTrue(documented.containsKey("HHH90000029"), "README.md's warnings table: " + documented.keySet());
        List<String> unnamed = new ArrayList<>();
        for (String record : warnings(log())) {
            if (documented.keySet().stream().noneMatch(record::contains)) {
                unnamed.add(record.length() > 600 ? record.substring(0, 600) + "..." : record);
            }
        }
        assertTrue(unnamed.isEmpty(), "warnings README.md's table does not name (add them, with why to leave them):\n"
                + String.join("\n\n", unnamed));
    }

    /** Payara's log records at WARNING or SEVERE, colour codes removed. */
    static List<String> warnings(String text) {
        List<String> found = new ArrayList<>();
        String plain = text.replaceAll("\u001B\\[[0-9;]*m", "");
        Matcher record = Pattern.compile("(?ms)^\\[\\d{4}-\\d\\d-\\d\\dT.*?(?=^\\[\\d{4}-\\d\\d-\\d\\dT|\\z)")
                .matcher(plain);
        Pattern level = Pattern.compile("\\[levelValue: (\\d+)]");
        while (record.find()) {
            Matcher value = level.matcher(record.group());
            if (value.find() && Integer.parseInt(value.group(1)) >= 900) {
                found.add(record.group().strip());
            }
        }
        return found;
    }

    // --- HTTP and log helpers ---

    private static JsonObject post(String path, String json) throws Exception {
        HttpResponse<String> response = send("POST", path, json);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return parse(response.body());
    }

    private static JsonObject put(String path, String json) throws Exception {
        HttpResponse<String> response = send("PUT", path, json);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return parse(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(WAIT);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    private static String log() throws IOException {
        return Files.readString(log);
    }

    private static String tail() throws IOException {
        String text = log();
        return text.substring(Math.max(0, text.length() - 8000));
    }

    private static void assertContains(String text, String expected) throws IOException {
        assertTrue(text.contains(expected), "expected: " + expected + "\n--- log tail ---\n" + tail());
    }

    /** A real WebSocket client, the JDK's, that queues the text frames it receives. */
    static final class Socket implements WebSocket.Listener, AutoCloseable {

        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Socket open(Map<String, String> headers) {
            Socket client = new Socket();
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
            headers.forEach(builder::header);
            try {
                client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("handshake refused", e);
            } catch (Exception e) {
                throw new AssertionError("cannot connect", e);
            }
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonObject request(String frame) {
            try {
                socket.sendText(frame, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("cannot send", e);
            }
            return next();
        }

        void subscribe(long board) {
            JsonObject reply = request("{\"type\":\"subscribe\",\"channel\":\"task\",\"scope\":{\"col\":\"board_id\","
                    + "\"value\":" + board + "}}");
            assertEquals("subscribed", reply.getString("type"), reply.toString());
        }

        JsonObject next() {
            try {
                String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(frame, "no frame within " + WAIT);
                return parse(frame);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The next frame, a change whose event has the given type (any type when null). */
        JsonObject change(String eventType) {
            JsonObject frame = next();
            assertEquals("change", frame.getString("type"), frame.toString());
            if (eventType != null) {
                assertEquals(eventType, frame.getJsonObject("event").getString("type"), frame.toString());
            }
            return frame;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            socket.abort();
        }
    }
}
