package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.MalformedInputException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.protocol.CloseCodes;
import dev.rowcast.impl.security.ConnectionIdentity;

class ClientConnectionTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    /** A session whose sends run {@code sender}, recording sent frames and the close reason. */
    private static final class FakeSession {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile CloseReason closed;
        final Map<String, Object> properties = new ConcurrentHashMap<>();
        final Session session;

        FakeSession(Consumer<String> sender) {
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { RemoteEndpoint.Async.class }, (proxy, method, args) -> {
                        if (method.getName().equals("sendText") && args.length == 2) {
                            sender.accept((String) args[0]);
                            sent.add((String) args[0]);
                            ((SendHandler) args[1]).onResult(new SendResult());
                        }
                        return null;
                    });
            session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Session.class },
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> remote;
                        case "isOpen" -> closed == null;
                        case "getId" -> "s";
                        case "getUserProperties" -> properties;
                        case "close" -> {
                            closed = (CloseReason) args[0];
                            yield null;
                        }
                        default -> null;
                    });
        }

        ClientConnection connection() {
            long now = System.nanoTime();
            return new ClientConnection(session, ConnectionIdentity.ANONYMOUS, 1 << 20,
                    new RateLimiter(100, 100, 5, now), new RateLimiter(1000, 1000, 0, now),
                    new RateLimiter(10, 10, 0, now));
        }
    }

    /** The client answers a close frame at once: its answer must find its input already dropped (LateInputGuard). */
    @Test
    void should_guard_late_input_before_the_close_frame_goes_out() {
        FakeSession fake = new FakeSession(text -> { });
        List<String> order = new CopyOnWriteArrayList<>();
        fake.properties.put(LateInputGuard.PROPERTY,
                (LateInputGuard.Handle) () -> order.add(fake.closed == null ? "guarded while open" : "guarded late"));
        fake.connection().close(CloseCodes.reason(CloseCodes.CREDENTIAL_EXPIRED, "credential expired"));
        assertEquals(List.of("guarded while open"), order);
        assertEquals(CloseCodes.CREDENTIAL_EXPIRED.getCode(), fake.closed.getCloseCode().getCode());
    }

    @Test
    void should_close_only_the_socket_whose_send_throws_even_an_error_and_never_throw_to_the_caller() {
        FakeSession broken = new FakeSession(text -> {
            // what Tyrus's strict UTF-8 encoder throws for a lone surrogate
            throw new Error(new MalformedInputException(1));
        });
        FakeSession healthy = new FakeSession(text -> { });
        ClientConnection failing = broken.connection();
        ClientConnection working = healthy.connection();

        assertDoesNotThrow(() -> failing.send("{\"a\":1}"));
        working.send("{\"b\":2}");

        assertEquals(CloseCodes.SEND_FAILED.getCode(), broken.closed.getCloseCode().getCode());
        assertFalse(failing.isOpen());
        assertDoesNotThrow(() -> failing.send("{\"after\":1}"), "a closed socket drops frames quietly");
        assertNull(healthy.closed);
        assertEquals(List.of("{\"b\":2}"), healthy.sent);
    }

    @Test
    void should_close_for_a_violation_only_once_the_client_is_quiet() throws Exception {
        FakeSession fake = new FakeSession(text -> { });
        ClientConnection connection = fake.connection();
        CloseReason reason = CloseCodes.reason(CloseCodes.RATE_LIMITED, "rate limited");
        connection.closeWhenQuiet(reason, timers);
        assertTrue(connection.isClosingWhenQuiet());
        long until = System.nanoTime() + ClientConnection.QUIET.toNanos() * 2;
        while (System.nanoTime() < until) {
            connection.received(); // the client is still sending
            assertNull(fake.closed, "not while frames keep coming");
            Thread.sleep(10);
        }
        Thread.sleep(ClientConnection.QUIET.toMillis() * 2);
        assertEquals(reason, fake.closed);
    }

    @Test
    void should_close_a_client_that_never_goes_quiet_after_the_linger_bound() throws Exception {
        FakeSession fake = new FakeSession(text -> { });
        ClientConnection connection = fake.connection();
        connection.closeWhenQuiet(CloseCodes.reason(CloseCodes.TOO_BIG, "too big"), timers);
        long until = System.nanoTime() + ClientConnection.LINGER.toNanos() + ClientConnection.QUIET.toNanos();
        while (fake.closed == null && System.nanoTime() < until) {
            connection.received();
            Thread.sleep(10);
        }
        assertEquals(1009, fake.closed.getCloseCode().getCode());
    }

    @Test
    void should_not_run_a_waiting_request_once_the_socket_closed() {
        FakeSession fake = new FakeSession(text -> { });
        ClientConnection connection = fake.connection();
        java.util.concurrent.CompletableFuture<Boolean> authorizer = new java.util.concurrent.CompletableFuture<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        assertTrue(connection.inOrder(10, () -> authorizer));
        assertTrue(connection.inOrder(10, () -> {
            ran.add("subscribe after close");
            return null;
        }));
        connection.closed();
        authorizer.complete(true);
        assertEquals(List.of(), ran, "nothing is asked or written for a socket that is gone");
    }
}
