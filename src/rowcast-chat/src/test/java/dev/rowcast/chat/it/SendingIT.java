package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Sending on the pool, over real sockets: a rowcast.v2 client that falls behind gets what queued as {@code frames}
 * messages, with every change once, in order, at contiguous positions; a v1 client in the same spot gets the same
 * changes one message each; the idle-timer bypass took effect on this server (WorkaroundsOffIT has it off).
 */
class SendingIT extends DeployedChat {

    /** About 1 KB per change frame: 45 of them pass the 32 KiB window but stay under the 64 KiB bound. */
    private static final int CHANGES = 45;
    private static final String BODY = "x".repeat(900);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForSending();
    }

    /** What a client read: the messages as they came, and the change frames inside them, in order. */
    record Read(List<JsonObject> messages, List<JsonObject> changes) {

        long batches() {
            return messages.stream().filter(m -> m.getString("type").equals("frames")).count();
        }
    }

    /**
     * The client subscribes, stops reading and never acknowledges while {@link #CHANGES} messages are posted, so the
     * server's window fills and the rest queue; then it reads everything, answering pings as a browser does.
     */
    private Read fallBehindThenCatchUp(String subprotocol, SocketCheck check) throws Exception {
        long conversation = api.createConversation("sending " + subprotocol);
        try (RawSocket socket = RawSocket.connect(base, "alice", 0, subprotocol)) {
            check.handshake(socket.handshake());
            socket.sendText(WsClient.subscribeConversationFrame(conversation, null));
            List<JsonObject> messages = new ArrayList<>();
            List<JsonObject> changes = new ArrayList<>();
            while (changes.isEmpty() && messages.stream().noneMatch(m -> m.toString().contains("\"snapshot\""))) {
                collect(WsClient.parse(socket.readText()), messages, changes);
            }
            for (int i = 0; i < CHANGES; i++) {
                api.postMessage(conversation, i + " " + BODY);
            }
            while (changes.size() < CHANGES) {
                collect(WsClient.parse(socket.readTextAnsweringPings()), messages, changes);
            }
            return new Read(messages, changes);
        }
    }

    interface SocketCheck {
        void handshake(String response);
    }

    private static void collect(JsonObject message, List<JsonObject> messages, List<JsonObject> changes) {
        messages.add(message);
        List<JsonObject> frames = new ArrayList<>();
        if (message.getString("type").equals("frames")) {
            assertFalse(message.getJsonArray("frames").isEmpty(), "a frames message is never empty");
            for (JsonValue frame : message.getJsonArray("frames")) {
                assertFalse(frame.asJsonObject().getString("type").equals("frames"), "frames never nest");
                frames.add(frame.asJsonObject());
            }
        } else {
            frames.add(message);
        }
        frames.stream().filter(frame -> frame.getString("type").equals("change")).forEach(changes::add);
    }

    private static void assertEveryChangeOnceInOrder(List<JsonObject> changes) {
        assertEquals(CHANGES, changes.size());
        long first = changes.get(0).getJsonObject("position").getJsonNumber("seq").longValue();
        for (int i = 0; i < CHANGES; i++) {
            JsonObject change = changes.get(i);
            assertEquals(first + i, change.getJsonObject("position").getJsonNumber("seq").longValue(),
                    "contiguous positions");
            assertTrue(change.getJsonObject("event").getJsonObject("row").getString("body").startsWith(i + " "),
                    "commit order");
        }
    }

    @Test
    void should_coalesce_what_queued_for_a_v2_client_and_keep_every_change_in_order() throws Exception {
        Metrics before = Metrics.scrape(base);
        Read read = fallBehindThenCatchUp("rowcast.v2", response -> assertTrue(
                response.toLowerCase().contains("sec-websocket-protocol: rowcast.v2"), response));

        assertEveryChangeOnceInOrder(read.changes());
        assertTrue(read.batches() > 0, "what queued behind the window went out as frames messages: "
                + read.messages().size() + " messages");
        assertTrue(read.messages().size() < CHANGES, "fewer messages than changes: " + read.messages().size());
        Metrics after = Metrics.scrape(base);
        assertTrue(after.value("rowcast_coalesced_messages_total", "")
                >= before.value("rowcast_coalesced_messages_total", "") + read.batches(), after.rowcast());
    }

    @Test
    void should_send_a_v1_client_every_frame_alone_in_the_same_spot() throws Exception {
        Read read = fallBehindThenCatchUp(null, response -> assertFalse(
                response.toLowerCase().contains("sec-websocket-protocol"), response));

        assertEveryChangeOnceInOrder(read.changes());
        assertEquals(0, read.batches());
    }

    @Test
    void should_still_cut_a_v2_client_that_stops_reading_with_4499() throws Exception {
        long conversation = api.createConversation("sending stalled v2");
        try (RawSocket stalled = RawSocket.connect(base, "alice", 4096, "rowcast.v2")) {
            stalled.sendText(WsClient.subscribeConversationFrame(conversation, null));
            // never reads, never acknowledges: about 1 KB per change, twice the 64 KiB bound is offered
            for (int i = 0; i < 131; i++) {
                api.postMessage(conversation, i + " " + BODY);
            }
            assertEquals(4499, stalled.awaitCloseCode(), "the bound holds whether frames are coalesced or not");
        }
    }

    @Test
    void should_take_the_idle_timer_of_each_socket_off_the_managed_scheduler() throws Exception {
        Metrics before = Metrics.scrape(base);
        long conversation = api.createConversation("idle timer");
        try (WsClient alice = WsClient.connect(base)) {
            alice.subscribeConversation(conversation);
            for (int i = 0; i < 5; i++) {
                api.postMessage(conversation, "timer " + i);
                alice.next("change");
                // Tyrus re-arms on every message it receives; what Rowcast sends goes pre-framed, without a re-arm
                alice.send("{\"type\":\"ping\",\"id\":" + i + "}");
                alice.next("pong");
            }
        }
        Metrics after = Metrics.scrape(base);
        assertTrue(after.value("rowcast_idle_timer_bypassed_total", "")
                >= before.value("rowcast_idle_timer_bypassed_total", "") + 1, after.rowcast());
        assertTrue(after.value("rowcast_idle_timer_rearms_skipped_total", "")
                >= before.value("rowcast_idle_timer_rearms_skipped_total", "") + 5,
                "Tyrus re-armed through the bypass on every message received: " + after.rowcast());
    }

    @Test
    void should_deliver_frames_around_the_small_write_buffer_intact_and_in_order_to_a_v1_client() throws Exception {
        WriteBufferChecks.assertIntactInOrder(base, api, null, true);
    }

    @Test
    void should_deliver_frames_around_the_small_write_buffer_intact_and_in_order_to_a_v2_client() throws Exception {
        WriteBufferChecks.assertIntactInOrder(base, api, "rowcast.v2", true);
    }
}
