package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.Extension;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.protocol.OutboundFrame;

class PreframedSendTest {

    private final AtomicInteger used = new AtomicInteger();
    private final PreframedSend preframed = PreframedSend.create(used::incrementAndGet);
    private final LogCapture log = new LogCapture(PreframedSend.class);
    private final List<SendResult> results = new ArrayList<>();

    @BeforeEach
    void attach() {
        log.attach();
    }

    @AfterEach
    void detach() {
        log.detach();
    }

    @Test
    void should_write_the_frame_encoded_once_to_every_socket() {
        WebSocket a = new WebSocket();
        WebSocket b = new WebSocket();
        Outlet first = preframed.preframed(new Remote(a));
        Outlet second = preframed.preframed(new Remote(b));
        OutboundFrame frame = OutboundFrame.of("{\"type\":\"change\",\"row\":{\"body\":\"Grüße\"}}");

        first.send(frame, results::add);
        second.send(frame, results::add);

        assertArrayEquals(frame.wire(), a.written.get(0));
        assertArrayEquals(frame.wire(), b.written.get(0));
        assertSame(a.arrays.get(0), b.arrays.get(0), "one encoding shared by both sockets");
        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(SendResult::isOK), "completed once the container took it");
        assertEquals(2, used.get());
        assertTrue(log.messages().isEmpty(), log.messages().toString());
    }

    @Test
    void should_report_a_write_that_failed_at_once() {
        WebSocket socket = new WebSocket();
        socket.outcome = CompletableFuture.failedFuture(new IOException("Broken pipe"));
        preframed.preframed(new Remote(socket)).send(OutboundFrame.of("{}"), results::add);
        assertFalse(results.get(0).isOK());
        assertEquals("Broken pipe", results.get(0).getException().getMessage());
    }

    @Test
    void should_throw_what_a_closed_socket_throws_as_the_standard_send_does() {
        WebSocket socket = new WebSocket();
        socket.closed = true;
        Outlet outlet = preframed.preframed(new Remote(socket));
        assertThrows(IllegalStateException.class, () -> outlet.send(OutboundFrame.of("{}"), results::add));
        assertTrue(results.isEmpty());
    }

    @Test
    void should_count_a_write_the_container_queued_as_taken() {
        WebSocket socket = new WebSocket();
        socket.outcome = new CompletableFuture<>(); // the writer queued it: the client is not reading just now
        preframed.preframed(new Remote(socket)).send(OutboundFrame.of("{}"), results::add);
        assertTrue(results.get(0).isOK(), "the window, not the completion, bounds what the container holds");
    }

    @Test
    void should_pass_on_what_the_container_throws_so_the_socket_is_closed_with_1011() {
        WebSocket socket = new WebSocket();
        socket.failure = new Error("java.nio.charset.MalformedInputException: Input length = 1");
        Outlet outlet = preframed.preframed(new Remote(socket));
        Error thrown = assertThrows(Error.class, () -> outlet.send(OutboundFrame.of("{}"), results::add));
        assertSame(socket.failure, thrown, "not taken for a closed socket, whose frames are dropped silently");
        assertTrue(results.isEmpty());
    }

    @Test
    void should_fall_back_for_another_container_and_say_so_once() {
        assertNull(preframed.preframed(new OtherRemote()));
        assertNull(preframed.preframed(new Remote(new Object())));
        assertEquals(1, log.messages().size(), log.messages().toString());
        assertTrue(log.messages().get(0).startsWith("ROWCAST-065: "), log.messages().get(0));
        assertTrue(log.messages().get(0).contains(OtherRemote.class.getName()));
        assertEquals(0, used.get());

        List<String> standard = new ArrayList<>();
        preframed.outletFor(session(List.of(), standard)).send(OutboundFrame.of("{\"a\":1}"), results::add);
        assertEquals(List.of("{\"a\":1}"), standard, "the standard send, with the text");
    }

    @Test
    void should_send_the_standard_way_when_off_or_when_an_extension_transforms_frames() {
        List<String> standard = new ArrayList<>();
        Extension deflate = new Extension() {
            @Override
            public String getName() {
                return "permessage-deflate";
            }

            @Override
            public List<Parameter> getParameters() {
                return List.of();
            }
        };
        preframed.outletFor(session(List.of(deflate), standard)).send(OutboundFrame.of("{\"a\":1}"), results::add);
        PreframedSend.off().outletFor(session(List.of(), standard)).send(OutboundFrame.of("{\"b\":2}"), results::add);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), standard);
        assertTrue(log.messages().isEmpty(), "neither case is a fallback: " + log.messages());
        assertEquals(0, used.get());
    }

    /** A session whose standard async remote records the texts sent through it. */
    private static Session session(List<Extension> extensions, List<String> sent) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                PreframedSendTest.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]);
                        ((jakarta.websocket.SendHandler) args[1]).onResult(new SendResult());
                    }
                    return null;
                });
        return (Session) Proxy.newProxyInstance(PreframedSendTest.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getNegotiatedExtensions" -> extensions;
                    case "getAsyncRemote" -> remote;
                    default -> null;
                });
    }

    /** Shaped like Tyrus's {@code TyrusRemoteEndpoint}: the socket in a field. */
    static class Remote {
        final Object webSocket;

        Remote(Object webSocket) {
            this.webSocket = webSocket;
        }
    }

    /** Shaped like Tyrus's {@code TyrusWebSocket}. */
    public static class WebSocket {
        final List<byte[]> written = new ArrayList<>();
        final List<byte[]> arrays = new ArrayList<>();
        Future<Object> outcome = CompletableFuture.completedFuture(null);
        boolean closed;
        Error failure;

        public Future<Object> sendRawFrame(ByteBuffer frame) {
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new IllegalStateException("The connection has been closed.");
            }
            assertNotNull(frame);
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            written.add(copy);
            arrays.add(frame.array());
            return outcome;
        }
    }

    static class OtherRemote {
    }
}
