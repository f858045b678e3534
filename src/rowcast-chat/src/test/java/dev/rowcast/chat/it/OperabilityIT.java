package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

import dev.rowcast.chat.it.support.Browser;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * What an operator sees: the metrics Payara serves at /metrics move by exactly what a scripted scenario did, and the
 * admin page shows live figures to the admin role only. (Liveness DOWN and UP again is EngineHardeningIT's.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperabilityIT extends DeployedChat {

    private static final String FORBIDDEN_SUBSCRIBE = "{\"type\":\"subscribe\",\"id\":\"f\",\"channel\":"
            + "\"rowcast_admin\",\"scope\":{\"col\":\"id\",\"value\":\"server\"}}";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForOperability();
    }

    @Test
    @Order(1)
    void should_count_a_scripted_scenario_in_the_metrics_endpoint() throws Exception {
        Metrics before = Metrics.scrape(base);
        long conversation = api.createConversation("metrics");
        try (WsClient alice = WsClient.connect(base)) {
            alice.subscribeConversation(conversation); // subscribed + snapshot
            api.postMessage(conversation, "counted");
            alice.next("change");
            JsonObject refused = alice.request(FORBIDDEN_SUBSCRIBE);
            assertEquals("forbidden", refused.getString("code"), refused.toString());

            Metrics during = Metrics.scrape(base);
            assertEquals(before.value("rowcast_connections_open", "") + 1,
                    during.value("rowcast_connections_open", ""), during.rowcast());
            assertEquals(before.value("rowcast_subscriptions", "channel=\"message\"") + 1,
                    during.value("rowcast_subscriptions", "channel=\"message\""), during.rowcast());
            assertEquals(before.value("rowcast_streams", "channel=\"message\"") + 1,
                    during.value("rowcast_streams", "channel=\"message\""), during.rowcast());

            try (RawSocket slow = RawSocket.connect(base, "alice", 4096)) {
                slow.sendText(WsClient.subscribeConversationFrame(conversation, null));
                assertTrue(slow.readText().contains("\"subscribed\""));
                assertTrue(slow.readText().contains("\"snapshot\""));
                // it reads nothing more: past the 16 KiB bound it is cut with 4499; alice reads each as it comes
                for (int i = 0; i < 12; i++) {
                    api.postMessage(conversation, i + "x".repeat(3_000));
                    alice.next("change");
                }
                assertEquals(4499, slow.awaitClose().code());
            }
        }
        // a close is counted by code on the close callback, which can run after the open gauge has dropped
        await(() -> {
            Metrics now = Metrics.scrape(base);
            return now.value("rowcast_connections_open", "") == before.value("rowcast_connections_open", "")
                    && delta(before, now, "rowcast_connections_closed_total", "code=\"1000\"") >= 1
                    && delta(before, now, "rowcast_connections_closed_total", "code=\"4499\"") >= 1;
        }, "both sockets closed and counted");
        Metrics after = Metrics.scrape(base);
        String all = after.rowcast();

        assertEquals(2, delta(before, after, "rowcast_connections_opened_total", ""), all);
        assertEquals(1, delta(before, after, "rowcast_connections_closed_total", "code=\"4499\""), all);
        assertEquals(1, delta(before, after, "rowcast_connections_closed_total", "code=\"1000\""), all);
        assertEquals(1, delta(before, after, "rowcast_fell_behind_closes_total", ""), all);
        assertTrue(delta(before, after, "rowcast_backpressure_pauses_total", "") >= 1, all);
        assertEquals(3, delta(before, after, "rowcast_inbound_messages_total", ""), "two subscribes and a forbidden "
                + "one\n" + all);
        assertEquals(1, delta(before, after, "rowcast_errors_total", "code=\"forbidden\""), all);
        assertEquals(0, delta(before, after, "rowcast_errors_total", "code=\"rate_limited\""), all);
        // alice: snapshot and 13 changes; the slow socket: its snapshot and some changes before the cut
        double frames = delta(before, after, "rowcast_frames_sent_total", "channel=\"message\"");
        assertTrue(frames >= 15 && frames <= 28, frames + "\n" + all);
        assertTrue(delta(before, after, "rowcast_frame_bytes_sent_total", "channel=\"message\"") > 12 * 3_000, all);
        assertEquals(0, delta(before, after, "rowcast_subscriptions", "channel=\"message\""), all);
        assertEquals(0, delta(before, after, "rowcast_streams", "channel=\"message\""), all);
        // the lag once per (change, stream): 13 changes on one stream, however many subscribers
        assertEquals(13, delta(before, after, "rowcast_commit_to_send_lag_seconds_count", ""), all);
        assertEquals(2, delta(before, after, "rowcast_snapshot_duration_seconds_count", ""), all);
        assertEquals(0, after.value("rowcast_changes_dropped_total", ""), "the number that must stay 0\n" + all);
        assertEquals(0, after.value("rowcast_dispatch_queue_tasks", ""), all);
    }

    @Test
    @Order(2)
    void should_show_the_admin_page_to_an_admin_with_numbers_that_move_and_refuse_a_plain_user() throws Exception {
        long conversation = api.createConversation("watched");
        try (Browser admin = new Browser(base); WsClient alice = WsClient.connect(base)) {
            alice.subscribeConversation(conversation);
            admin.signIn("admin");
            admin.driver().get(base + "rowcast-admin/");
            admin.await(d -> d.findElement(By.id("state")).getText().equals("open"), "the admin page's socket opens");
            admin.await(d -> d.findElement(By.cssSelector("#channels tr[data-channel='message']")) != null,
                    "the message channel is listed");
            long framesBefore = messageFrames(admin);
            // the figures arrive once a second: the first may predate alice's or the page's own socket
            admin.await(d -> d.findElement(By.id("connections-open")).getText().matches("\\d+")
                    && Long.parseLong(d.findElement(By.id("connections-open")).getText()) >= 2,
                    "alice and the admin page itself");
            for (int i = 0; i < 5; i++) {
                api.postMessage(conversation, "watched " + i);
                alice.next("change");
            }
            admin.await(d -> messageFrames(admin) >= framesBefore + 5, "the frames sent on 'message' move");
            admin.await(d -> !d.findElement(By.id("lag")).getText().startsWith("–"), "a lag is shown");
            assertTrue(admin.find(By.id("settings")).getText().contains("maxQueuedBytes"), "the settings");
            admin.screenshot("admin-page");
        }
        try (Browser plain = new Browser(base)) {
            plain.signIn("alice");
            plain.driver().get(base + "rowcast-admin/");
            plain.await(d -> d.getPageSource().contains("403"), "a plain user is refused");
            assertTrue(plain.findAll(By.id("channels")).isEmpty(), "and sees nothing of the page");
        }
    }

    private static long messageFrames(Browser browser) {
        return Long.parseLong(browser.driver().findElement(
                By.cssSelector("#channels tr[data-channel='message'] td:nth-child(4)")).getText());
    }

    private static double delta(Metrics before, Metrics after, String name, String label) {
        return after.value(name, label) - before.value(name, label);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(100);
        }
    }
}
