package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade-request release against objects shaped like Tyrus 2's session and servlet upgrade, Payara 6's
 * WebConnectionImpl and Catalina request, and Grizzly 4's request (the field names it follows). Real sockets on
 * Payara: UpgradeReleaseIT and UpgradeReleaseOffIT.
 */
class UpgradeRequestReleaseTest {

    // --- shaped like Grizzly 4 ---
    static class MimeHeaderField {
    }

    static class MimeHeaders {
        private MimeHeaderField[] headers = {new MimeHeaderField(), new MimeHeaderField(), null};
        private int count = 2;

        public void clear() {
            count = 0;
        }
    }

    static class Packet {
        final MimeHeaders headers = new MimeHeaders();

        public MimeHeaders getHeaders() {
            return headers;
        }
    }

    static class GrizzlyResponse {
        final Packet packet = new Packet();

        public Packet getResponse() {
            return packet;
        }
    }

    static class CharChunk {
        char[] buff = new char[1024];

        public void reset() {
            buff = null;
        }
    }

    static class Parameters {
        final CharChunk tmpNameC = new CharChunk();
        final CharChunk tmpValueC = new CharChunk();
    }

    static class GrizzlyRequest {
        protected final Parameters parameters = new Parameters();
        protected Packet request = new Packet();
        protected GrizzlyResponse response = new GrizzlyResponse();

        public Packet getRequest() {
            return request;
        }

        public GrizzlyResponse getResponse() {
            return response;
        }
    }

    // --- shaped like Payara 6 ---
    static class CatalinaRequest {
        protected GrizzlyRequest coyoteRequest = new GrizzlyRequest();
        private boolean upgrade = true;
        private boolean afterService;
    }

    static class WebConnectionImpl {
        private CatalinaRequest request = new CatalinaRequest();
    }

    // --- shaped like Tyrus 2 ---
    static class UpgradeHandler {
        private WebConnectionImpl wc = new WebConnectionImpl();
        private Object upgradeInfo = new Object();
    }

    static class UpgradeHandlerProxy extends UpgradeHandler {
        private UpgradeHandler handler = new UpgradeHandler();
    }

    static class ServletWriter {
        private final UpgradeHandlerProxy tyrusHttpUpgradeHandler = new UpgradeHandlerProxy();
    }

    static class ProtocolHandler {
        private volatile Object writer = new ServletWriter();
    }

    static class WebSocket {
        private final ProtocolHandler protocolHandler = new ProtocolHandler();
    }

    static class Remote {
        final WebSocket webSocket = new WebSocket();
    }

    static class TyrusLikeSession {
        private final Remote basicRemote = new Remote();

        UpgradeHandler handler() {
            return ((ServletWriter) basicRemote.webSocket.protocolHandler.writer).tyrusHttpUpgradeHandler.handler;
        }

        CatalinaRequest request() {
            return handler().wc.request;
        }

        GrizzlyRequest grizzly() {
            return request().coyoteRequest;
        }
    }

    /** Another container's session. */
    static class OtherSession {
    }

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger released = new AtomicInteger();
    private final UpgradeRequestRelease release = UpgradeRequestRelease.create(timers, released::incrementAndGet);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(UpgradeRequestRelease.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(handler);
        timers.shutdownNow();
    }

    /** Runs everything scheduled so far on the timer thread, and what that scheduled at once. */
    private void drain() throws Exception {
        timers.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    private void awaitReleased(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (released.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void assertUntouched(TyrusLikeSession session) {
        assertNotNull(session.handler().upgradeInfo);
        assertEquals(2, session.grizzly().request.headers.count);
        assertNotNull(session.grizzly().request.headers.headers[0]);
        assertNotNull(session.grizzly().parameters.tmpNameC.buff);
    }

    @Test
    void should_wait_for_the_handshake_to_end_then_let_go_of_headers_buffers_and_the_handshake_record()
            throws Exception {
        TyrusLikeSession session = new TyrusLikeSession();
        release.afterOpenOf(session);
        Thread.sleep(150);
        drain();
        assertEquals(0, released.get(), "still in the container's service call");
        assertUntouched(session);

        session.request().afterService = true;
        awaitReleased(1);
        assertEquals(1, released.get());
        assertNull(session.handler().upgradeInfo);
        for (MimeHeaders headers : List.of(session.grizzly().request.headers,
                session.grizzly().response.packet.headers)) {
            assertEquals(0, headers.count);
            assertEquals(3, headers.headers.length, "same size, for the request object's next use");
            assertTrue(java.util.Arrays.stream(headers.headers).allMatch(field -> field == null));
        }
        assertNull(session.grizzly().parameters.tmpNameC.buff);
        assertNull(session.grizzly().parameters.tmpValueC.buff);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void should_leave_a_request_alone_once_the_socket_closed() throws Exception {
        TyrusLikeSession cancelled = new TyrusLikeSession();
        release.afterOpenOf(cancelled).cancel(); // onClose
        cancelled.request().afterService = true;

        TyrusLikeSession recycled = new TyrusLikeSession();
        release.afterOpenOf(recycled);
        recycled.request().upgrade = false; // WebConnectionImpl.close, as when Tyrus closed without onClose
        recycled.request().afterService = true;

        TyrusLikeSession reused = new TyrusLikeSession();
        release.afterOpenOf(reused);
        GrizzlyRequest original = reused.grizzly();
        reused.request().coyoteRequest = new GrizzlyRequest(); // the Catalina request serves another client
        reused.request().afterService = true;

        Thread.sleep(300);
        drain();
        assertEquals(0, released.get());
        assertUntouched(cancelled);
        assertUntouched(recycled);
        assertNotNull(original.parameters.tmpNameC.buff);
        assertNotNull(reused.grizzly().parameters.tmpNameC.buff);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void should_leave_another_containers_session_alone_and_say_so_once() {
        release.afterOpenOf(new OtherSession()).cancel();
        release.afterOpenOf(new OtherSession());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("ROWCAST-099: "), warnings.get(0));
        assertTrue(warnings.get(0).contains(OtherSession.class.getName()), warnings.get(0));
    }

    @Test
    void should_change_nothing_when_the_setting_is_off() throws Exception {
        TyrusLikeSession session = new TyrusLikeSession();
        session.request().afterService = true;
        UpgradeRequestRelease.off().afterOpenOf(session).cancel();
        Thread.sleep(100);
        assertUntouched(session);
        assertSame(session.request(), session.handler().wc.request);
        assertTrue(warnings.isEmpty());
    }
}
