package dev.rowcast.chat.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A real WebSocket client (the JDK's) that queues every text frame it receives. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private WebSocket socket;
    private volatile boolean paused;
    private volatile java.util.function.Consumer<JsonObject> onFrame = frame -> { };

    private WsClient() {
    }

    /** Connects to the Rowcast endpoint of the deployment at {@code base} as alice. */
    public static WsClient connect(URL base) {
        return connect(base, ChatApi.DEFAULT_USER);
    }

    /** Connects as a demo user, with HTTP BASIC on the handshake. */
    public static WsClient connect(URL base, String user) {
        return connect(endpoint(base, ""), Map.of("Authorization", ChatApi.basic(user, user)));
    }

    /** The endpoint URI, with an optional query string such as {@code ?access_token=...}. */
    public static URI endpoint(URL base, String query) {
        return URI.create(base.toString().replaceFirst("^http", "ws") + "ws" + query);
    }

    public static WsClient connect(URI uri, Map<String, String> headers) {
        try {
            return open(uri, headers).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot connect to " + uri, e);
        }
    }

    /** Starts a handshake; the future fails with the server's refusal, for tests that expect one. */
    public static CompletableFuture<WsClient> open(URI uri, Map<String, String> headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, client).thenApply(socket -> {
            client.socket = socket;
            return client;
        });
    }

    /** Asserts that the server refuses the handshake with an HTTP {@code status}. */
    public static void assertRefused(URI uri, Map<String, String> headers, int status) {
        try {
            WsClient client = open(uri, headers).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            client.close();
            fail("the handshake to " + uri + " with " + headers.keySet() + " should be refused with " + status);
        } catch (ExecutionException e) {
            WebSocketHandshakeException refusal = assertInstanceOf(WebSocketHandshakeException.class, e.getCause(),
                    e.toString());
            assertEquals(status, refusal.getResponse().statusCode(), uri + " " + headers.keySet());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            onFrame.accept(parse(frame));
            frames.add(frame);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    /** Stops reading: the server's frames pile up in its buffers, as with a client that never reads. */
    public void pause() {
        paused = true;
    }

    /** Reads again. */
    public void resume() {
        paused = false;
        socket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        frames.add("{\"type\":\"unexpected-binary\"}");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** Called with every frame as it arrives, before a test reads it. */
    public void onFrame(java.util.function.Consumer<JsonObject> listener) {
        this.onFrame = listener;
    }

    public void send(String text) {
        try {
            socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot send", e);
        }
    }

    public void sendBinary(byte[] bytes) {
        try {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot send", e);
        }
    }

    /** The next frame, failing if none arrives in time. */
    public JsonObject next() {
        String frame = poll(WAIT);
        assertNotNull(frame, "expected a frame within " + WAIT);
        return parse(frame);
    }

    /** The next frame, which must have the given type. */
    public JsonObject next(String type) {
        JsonObject frame = next();
        assertEquals(type, frame.getString("type"), "frame type of " + frame);
        return frame;
    }

    /** The next frame, or null if none arrives within the timeout. */
    public JsonObject nextOrNull(Duration timeout) {
        String frame = poll(timeout);
        return frame == null ? null : parse(frame);
    }

    /** Fails if any frame arrives within the window. */
    public void expectSilence(Duration window) {
        String frame = poll(window);
        assertNull(frame, "expected no frame within " + window + " but got " + frame);
    }

    /** Sends a frame and returns the reply. */
    public JsonObject request(String text) {
        send(text);
        return next();
    }

    public JsonObject subscribe(String channel, String column, Object value) {
        JsonObject reply = request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"scope\":{\"col\":\""
                + column + "\",\"value\":" + value + "}}");
        assertEquals("subscribed", reply.getString("type"), "reply " + reply);
        return reply;
    }

    /**
     * The {@code subscribe} frame for a conversation's messages, resuming after {@code from} (a position's JSON) when
     * it is not null.
     */
    public static String subscribeConversationFrame(long conversation, String from) {
        return "{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":{\"col\":\"conversation_id\",\"value\":"
                + conversation + "}" + (from == null ? "" : ",\"from\":" + from) + "}";
    }

    /** Subscribes to a conversation's messages and returns the snapshot that follows {@code subscribed}. */
    public JsonObject subscribeConversation(Object conversationId) {
        subscribe("message", "conversation_id", conversationId);
        return next("snapshot");
    }

    /** The close code the server sent, waiting for it. */
    public int closeCode() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed by the server", e);
        }
    }

    /** The reason the server gave with its close frame, once {@link #closeCode()} has returned. */
    public String closeReason() {
        return closeReason;
    }

    public boolean isOpen() {
        return !socket.isInputClosed() && !closeCode.isDone();
    }

    private String poll(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
