package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Server heartbeats: WebSocket pings every 300 ms here, and a 700 ms pong timeout. Also the maximum age of a socket
 * whose credential names no expiry: 10 s here.
 */
class HeartbeatIT extends DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForHeartbeats();
    }


    @Test
    void should_close_a_socket_that_stops_answering_pings_with_4408_and_keep_one_that_answers() throws Exception {
        try (RawSocket silent = RawSocket.connect(base, "alice"); WsClient answering = WsClient.connect(base)) {
            long start = System.nanoTime();
            assertEquals(4408, silent.awaitCloseCode(), "heartbeat timeout");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
            Thread.sleep(1_500); // several heartbeat rounds
            assertTrue(answering.isOpen(), "a client that answers pings stays connected");
            assertEquals("pong", answering.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void should_close_a_basic_authenticated_socket_with_4401_at_its_maximum_age() throws Exception {
        long start = System.nanoTime();
        try (WsClient basic = WsClient.connect(base)) { // BASIC: no token, so no expiry of its own
            Thread.sleep(5_000);
            assertTrue(basic.isOpen(), "still young");
            assertEquals(4401, basic.closeCode(), "closed at its maximum age, as if its credential expired");
            long lived = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(lived >= 9_000, "lived " + lived + " ms");
        }
    }
}
