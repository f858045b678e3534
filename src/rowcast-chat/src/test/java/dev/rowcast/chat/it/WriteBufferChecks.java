package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Frames on either side of the container's small write buffer (512 bytes, {@code rowcast.outbound.smallWriteBuffer}):
 * shorter messages are copied into it, longer ones written as they are; and frames whose WebSocket length takes 7, 16
 * and 64 bits, sent pre-framed ({@code rowcast.outbound.preframed}) or framed by the container. Either way every
 * change arrives once, intact (multi-byte UTF-8 included) and in commit order, and a snapshot of more than 64 KiB
 * arrives whole, for a v1 and a {@code rowcast.v2} client; with the settings off no handshake's buffer is touched and
 * no socket sends pre-framed. Run by SendingIT (on, the default) and WorkaroundsOffIT (off).
 */
final class WriteBufferChecks {

    private static final String SHRUNK = "rowcast_write_buffers_shrunk_total";
    private static final String PREFRAMED = "rowcast_preframed_sockets_total";
    /** Long messages posted after the changes: with them the snapshot passes 65,535 bytes (a 64-bit length). */
    private static final int LONG_MESSAGES = 20;
    /** Bodies from a few bytes to about 3 KB, so frames fall below and above 512 bytes, in a mixed order. */
    private static final int[] SIZES = {1, 700, 40, 3000, 120, 450, 2, 1500};
    private static final int CHANGES = 24;

    private WriteBufferChecks() {
    }

    private static String body(int i) {
        return i + " é€😀 " + "z".repeat(SIZES[i % SIZES.length]);
    }

    /**
     * @param subprotocol {@code rowcast.v2}, or null for a v1 client
     * @param on whether the deployment shrinks the write buffer and sends pre-framed
     */
    static void assertIntactInOrder(URL base, ChatApi api, String subprotocol, boolean on) throws Exception {
        Metrics before = Metrics.scrape(base);
        long conversation = api.createConversation("write buffer " + subprotocol);
        try (RawSocket socket = RawSocket.connect(base, "alice", 0, subprotocol)) {
            socket.sendText(WsClient.subscribeConversationFrame(conversation, null));
            List<JsonObject> changes = new ArrayList<>();
            boolean subscribed = false;
            while (!subscribed) {
                subscribed = collect(WsClient.parse(socket.readTextAnsweringPings()), changes);
            }
            // posted from another thread: this one keeps reading, and answering the server's heartbeats
            CompletableFuture<Void> posts = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < CHANGES; i++) {
                    api.postMessage(conversation, body(i));
                }
            });
            while (changes.size() < CHANGES) {
                collect(WsClient.parse(socket.readTextAnsweringPings()), changes);
            }
            posts.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < CHANGES; i++) {
                assertEquals(body(i), changes.get(i).getJsonObject("event").getJsonObject("row").getString("body"),
                        "change " + i + " intact and in commit order");
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < CHANGES; i++) {
            expected.add(body(i));
        }
        for (int i = 0; i < LONG_MESSAGES; i++) {
            String body = "long " + i + " ü " + "q".repeat(3_900);
            api.postMessage(conversation, body);
            expected.add(body);
        }
        assertSnapshotWhole(base, conversation, subprotocol, expected);
        Metrics after = Metrics.scrape(base);
        assertEquals(before.value(SHRUNK, "") + (on ? 2 : 0), after.value(SHRUNK, ""), after.rowcast());
        assertEquals(before.value(PREFRAMED, "") + (on ? 2 : 0), after.value(PREFRAMED, ""), after.rowcast());
    }

    /** A new subscriber's snapshot (newest first, over 64 KiB) holds every body posted, intact. */
    private static void assertSnapshotWhole(URL base, long conversation, String subprotocol, List<String> bodies)
            throws Exception {
        try (RawSocket socket = RawSocket.connect(base, "alice", 0, subprotocol)) {
            socket.sendText(WsClient.subscribeConversationFrame(conversation, null));
            JsonObject snapshot = null;
            while (snapshot == null) {
                String text = socket.readTextAnsweringPings();
                JsonObject message = WsClient.parse(text);
                List<JsonObject> frames = new ArrayList<>();
                if (message.getString("type").equals("frames")) {
                    message.getJsonArray("frames").forEach(frame -> frames.add(frame.asJsonObject()));
                } else {
                    frames.add(message);
                }
                for (JsonObject frame : frames) {
                    if (frame.getString("type").equals("snapshot")) {
                        snapshot = frame;
                        assertEquals(true, text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65_535,
                                "the snapshot's message needs a 64-bit length: " + text.length() + " chars");
                    }
                }
            }
            List<String> received = new ArrayList<>();
            snapshot.getJsonArray("rows").forEach(row -> received.add(row.asJsonObject().getString("body")));
            java.util.Collections.reverse(received); // newest first
            assertEquals(bodies, received, "the snapshot's rows, intact and complete");
        }
    }

    /** @return whether the message held the snapshot, which the subscription sends once */
    private static boolean collect(JsonObject message, List<JsonObject> changes) {
        List<JsonObject> frames = new ArrayList<>();
        if (message.getString("type").equals("frames")) {
            for (JsonValue frame : message.getJsonArray("frames")) {
                frames.add(frame.asJsonObject());
            }
        } else {
            frames.add(message);
        }
        frames.stream().filter(frame -> frame.getString("type").equals("change")).forEach(changes::add);
        return message.toString().contains("\"snapshot\"");
    }
}
