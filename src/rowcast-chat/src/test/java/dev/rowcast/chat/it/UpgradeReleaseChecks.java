package dev.rowcast.chat.it;

import static dev.rowcast.chat.it.support.WsClient.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.RawSocket;
import dev.rowcast.chat.it.support.WsClient;

/**
 * What a socket must still do once the container's copy of its HTTP upgrade request is let go
 * ({@code rowcast.connection.releaseUpgradeRequest}), checked with the release on (UpgradeReleaseIT) and off
 * (WorkaroundsOffIT). The release happens on a socket's first read after the handshake (a message, or the pong to
 * a heartbeat), so every test makes its sockets read, then waits until they were released (or, off, were not) before
 * using them further.
 */
abstract class UpgradeReleaseChecks extends DeployedChat {

    private static final String RELEASED = "rowcast_upgrade_requests_released_total";
    private static final String PING = "{\"type\":\"ping\"}";

    /** Whether this deployment releases upgrade requests. */
    abstract boolean releases();

    /** Makes a socket read once more: an application-level ping. */
    @FunctionalInterface
    interface Read {
        void again() throws Exception;
    }

    /**
     * Waits until {@code sockets} more sockets were released than in {@code before}; with the release off, none. A read
     * that came before the container left the handshake releases nothing, so the sockets read again every 250 ms.
     */
    private void awaitReleased(Metrics before, int sockets, Read... reads) throws Exception {
        double expected = before.value(RELEASED, "") + (releases() ? sockets : 0);
        Metrics now = Metrics.scrape(base);
        for (int i = 1; i <= 100 && now.value(RELEASED, "") < expected; i++) {
            Thread.sleep(50);
            if (i % 5 == 0) {
                for (Read read : reads) {
                    read.again();
                }
            }
            now = Metrics.scrape(base);
        }
        assertEquals(expected, now.value(RELEASED, ""), now.rowcast());
    }

    @Test
    void should_deliver_answer_pings_and_stay_open_after_the_release() throws Exception {
        long conversation = api.createConversation("released");
        Metrics before = Metrics.scrape(base);
        try (WsClient alice = WsClient.connect(base)) {
            assertEquals("pong", alice.request("{\"type\":\"ping\"}").getString("type"));
            awaitReleased(before, 1, () -> alice.request(PING));
            alice.subscribeConversation(conversation);
            for (int i = 0; i < 3; i++) {
                api.postMessage(conversation, "after release " + i);
                assertEquals("after release " + i, alice.next("change").getJsonObject("event").getJsonObject("row")
                        .getString("body"));
            }
            assertEquals("pong", alice.request("{\"type\":\"ping\"}").getString("type"));
            Thread.sleep(1_500); // several heartbeat rounds, answered by the client
            assertTrue(alice.isOpen(), "a client that answers the server's pings stays connected");
        }
    }

    @Test
    void should_close_with_the_protocol_codes_after_the_release() throws Exception {
        Metrics before = Metrics.scrape(base);
        try (RawSocket silent = RawSocket.connect(base, "alice"); RawSocket large = RawSocket.connect(base, "alice")) {
            // an application-level ping is a read; the silent socket never answers the server's WebSocket pings
            silent.sendText("{\"type\":\"ping\"}");
            large.sendText("{\"type\":\"ping\"}");
            awaitReleased(before, 2, () -> silent.sendText(PING), () -> large.sendText(PING));
            large.sendText("x".repeat(70_000)); // over rowcast.inbound.maxFrameBytes (64 KiB)
            assertEquals(1009, large.awaitCloseCode(), "too large");
            assertEquals(4408, silent.awaitCloseCode(), "never answered a ping");
        }
    }

    @Test
    void should_close_with_4401_when_the_token_expires_after_the_release() throws Exception {
        long conversation = api.createConversation("expiring after release");
        String token = api.token("alice", 2);
        Metrics before = Metrics.scrape(base);
        try (WsClient client = WsClient.connect(WsClient.endpoint(base, "?access_token=" + token), Map.of())) {
            client.subscribeConversation(conversation);
            awaitReleased(before, 1, () -> client.request(PING));
            assertEquals(4401, client.closeCode(), "closed at the token's expiry");
        }
    }

    /**
     * Grizzly reuses a closed socket's request objects for later requests: handshakes on them must still read their
     * headers, query and origin, and the identity each socket got must still decide what it may subscribe to.
     */
    @Test
    void should_read_later_handshakes_on_reused_requests() throws Exception {
        Metrics before = Metrics.scrape(base);
        for (int i = 0; i < 20; i++) {
            try (WsClient client = WsClient.connect(base)) {
                assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
                awaitReleased(before, i + 1, () -> client.request(PING));
            }
        }
        Map<String, String> foreign = new HashMap<>(Map.of("Authorization", ChatApi.basic("alice", "alice")));
        foreign.put("Origin", "http://evil.example");
        assertRefused(WsClient.endpoint(base, ""), foreign, 403);
        assertRefused(WsClient.endpoint(base, "?access_token=not-a-token"), Map.of(), 401);

        long conversation = api.createConversation("members only, after release");
        Map<String, String> own = new HashMap<>(Map.of("Authorization", ChatApi.basic("alice", "alice")));
        own.put("Origin", "http://127.0.0.1:" + base.getPort());
        String token = api.token("alice", 60);
        try (WsClient alice = WsClient.connect(WsClient.endpoint(base, ""), own);
                WsClient byQuery = WsClient.connect(WsClient.endpoint(base, "?access_token=" + token), Map.of());
                WsClient bob = WsClient.connect(base, "bob")) {
            for (WsClient client : List.of(alice, byQuery, bob)) {
                assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
            }
            awaitReleased(before, 23, () -> alice.request(PING), () -> byQuery.request(PING), () -> bob.request(PING));
            String subscribe = WsClient.subscribeConversationFrame(conversation, null);
            assertEquals("subscribed", alice.request(subscribe).getString("type"));
            assertEquals("subscribed", byQuery.request(subscribe).getString("type"));
            assertEquals("forbidden", bob.request(subscribe).getString("code"));
        }
    }
}
