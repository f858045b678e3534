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

/** Server heartbeats: WebSocket pings every 300 ms here, and a 700 ms pong timeout. */
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

}
