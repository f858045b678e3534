package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Every container workaround off ({@code rowcast.connection.releaseUpgradeRequest},
 * {@code rowcast.outbound.idleTimerBypass}, {@code rowcast.container.releaseClosedSockets},
 * {@code rowcast.outbound.smallWriteBuffer}, {@code rowcast.outbound.preframed},
 * {@code rowcast.container.dropInputAfterClose}): nothing is bypassed, released, shrunk, pre-framed or guarded, and
 * sockets behave as with them on. {@link UpgradeReleaseChecks} and
 * {@link WriteBufferChecks} run here with their workaround off; one deployment serves them all, which keeps the suite
 * short. (LateInputIT has the late-input guard on; off, its check fails.)
 */
class WorkaroundsOffIT extends UpgradeReleaseChecks {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarWithWorkaroundsOff();
    }

    @Override
    boolean releases() {
        return false;
    }

    @Test
    void should_leave_the_idle_timer_alone_and_still_deliver() throws Exception {
        long conversation = api.createConversation("no bypass");
        try (WsClient alice = WsClient.connect(base)) {
            alice.subscribeConversation(conversation);
            for (int i = 0; i < 5; i++) {
                api.postMessage(conversation, "plain " + i);
                assertEquals("plain " + i, alice.next("change").getJsonObject("event").getJsonObject("row")
                        .getString("body"));
            }
        }
        Metrics after = Metrics.scrape(base);
        assertEquals(0, after.value("rowcast_idle_timer_bypassed_total", ""), after.rowcast());
        assertEquals(0, after.value("rowcast_idle_timer_rearms_skipped_total", ""), after.rowcast());
    }

    /** Without the release of closed sockets, the ways a socket ends still end it, and later sockets still work. */
    @Test
    void should_close_sockets_every_way_and_keep_delivering() throws Exception {
        String oversized = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        try (RawSocket byClose = RawSocket.connect(base, "alice");
                RawSocket tooLarge = RawSocket.connect(base, "alice");
                RawSocket fragmented = RawSocket.connect(base, "alice")) {
            byClose.sendFrame(0x8, new byte[] { 0x03, (byte) 0xE8 });
            assertEquals(1000, byClose.readUntilClosed().code(), "closed by the client");
            tooLarge.sendText(oversized);
            assertEquals(1009, tooLarge.readUntilClosed().code(), "one frame over the limit");
            fragmented.sendFragmentedText(oversized, 3);
            assertEquals(1009, fragmented.readUntilClosed().code(), "a fragmented message over the limit");
        }
        RawSocket.connect(base, "alice").close(); // dropped without a close frame
        long conversation = api.createConversation("after closes");
        try (WsClient alice = WsClient.connect(base)) {
            alice.subscribeConversation(conversation);
            api.postMessage(conversation, "still here");
            assertEquals("still here", alice.next("change").getJsonObject("event").getJsonObject("row")
                    .getString("body"));
        }
    }

    @Test
    void should_keep_the_container_write_buffer_and_deliver_intact_and_in_order_to_a_v1_client() throws Exception {
        WriteBufferChecks.assertIntactInOrder(base, api, null, false);
    }

    @Test
    void should_keep_the_container_write_buffer_and_deliver_intact_and_in_order_to_a_v2_client() throws Exception {
        WriteBufferChecks.assertIntactInOrder(base, api, "rowcast.v2", false);
    }
}
