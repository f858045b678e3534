package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;

import dev.rowcast.impl.security.ConnectionIdentity;

/** The outbound bound per socket, over a fake session whose sends complete at once. */
class ClientConnectionBoundsTest {

    private final List<String> sent = new ArrayList<>();
    private final List<Long> pings = new ArrayList<>();
    private CloseReason closed;

    private ClientConnection connection(long maxQueuedBytes, int eventsPerSecond, int eventsBurst,
            int snapshotsPerSecond, int snapshotsBurst) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { RemoteEndpoint.Async.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "sendText" -> {
                            sent.add((String) args[0]);
                            ((SendHandler) args[1]).onResult(new SendResult());
                        }
                        case "sendPing" -> pings.add(((ByteBuffer) args[0]).getLong(0));
                        default -> {
                        }
                    }
                    return null;
                });
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Session.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "s1";
                    case "isOpen" -> closed == null;
                    case "close" -> {
                        closed = (CloseReason) args[0];
                        yield null;
                    }
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        Principal principal = () -> "alice";
        long now = System.nanoTime();
        return new ClientConnection(session, new ConnectionIdentity(principal, Set.of(), null), maxQueuedBytes,
                new RateLimiter(100, 100, 10, now), new RateLimiter(eventsPerSecond, eventsBurst, 0, now),
                new RateLimiter(snapshotsPerSecond, snapshotsBurst, 0, now));
    }

    private ClientConnection connection(long maxQueuedBytes) {
        return connection(maxQueuedBytes, 1000, 1000, 100, 100);
    }

    private static ByteBuffer pong(long offset) {
        return ByteBuffer.allocate(Long.BYTES).putLong(0, offset);
    }

    @Test
    void should_let_one_frame_larger_than_the_bound_through_until_the_client_acknowledges_it() {
        ClientConnection socket = connection(1024);
        socket.send("s".repeat(100)); // subscribed: sent, not yet acknowledged
        socket.send("b".repeat(3000)); // a snapshot bigger than the whole bound
        assertNull(closed, "no 4499 for a single big frame: the client would reconnect into it for ever");
        assertEquals(2, sent.size());
        socket.send("c".repeat(300)); // waits behind the window; counts as usual
        assertEquals(2, sent.size());
        socket.send("d".repeat(3000)); // a second oversized frame before the first is read: fell behind
        assertEquals(4499, closed.getCloseCode().getCode());
    }

    @Test
    void should_let_the_next_big_frame_through_once_the_first_was_acknowledged() {
        ClientConnection socket = connection(1024);
        socket.send("b".repeat(3000));
        assertEquals(1, pings.size(), "the big frame asks for an acknowledgement");
        socket.ponged(pong(pings.get(0)));
        socket.send("c".repeat(3000));
        assertNull(closed);
        assertEquals(2, sent.size());
    }

    @Test
    void should_count_events_held_for_a_snapshot_against_the_bound() {
        ClientConnection socket = connection(1024);
        assertTrue(socket.reserve(600));
        socket.send("x".repeat(300));
        assertNull(closed);
        socket.unreserve(600);
        assertTrue(socket.reserve(700));
        assertFalse(socket.reserve(700), "held plus sent past the bound: the socket is cut");
        assertEquals(4499, closed.getCloseCode().getCode());
    }

    @Test
    void should_charge_catch_up_to_the_sockets_budget() {
        ClientConnection socket = connection(1 << 20, 1, 20, 1, 2);
        assertTrue(socket.allowCatchUp(15, 0));
        assertFalse(socket.allowCatchUp(15, 0), "5 left of a burst of 20");
        assertTrue(socket.allowCatchUp(0, 1));
        assertTrue(socket.allowCatchUp(0, 1));
        assertFalse(socket.allowCatchUp(0, 1), "a burst of 2 snapshots");
        assertFalse(socket.allowCatchUp(1, 1), "both must fit");
        assertTrue(socket.allowCatchUp(5, 0), "a refused request charged nothing");
    }
}
