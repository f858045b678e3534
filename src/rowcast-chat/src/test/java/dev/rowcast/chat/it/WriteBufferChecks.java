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
 * shorter messages are copied into it, longer ones written as they are. Either way every change arrives once, intact
 * (multi-byte UTF-8 included) and in commit order, for a v1 and a {@code rowcast.v2} client; with the setting off
 * no handshake's buffer is touched. Run by SendingIT (on, the default) and WorkaroundsOffIT (off).
 */
final class WriteBufferChecks {

    private static final String SHRUNK = "rowcast_write_buffers_shrunk_total";
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
     * @param shrinks whether the deployment shrinks the write buffer
     */
    static void assertIntactInOrder(URL base, ChatApi api, String subprotocol, boolean shrinks) throws Exception {
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
        Metrics after = Metrics.scrape(base);
        assertEquals(before.value(SHRUNK, "") + (shrinks ? 1 : 0), after.value(SHRUNK, ""), after.rowcast());
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
