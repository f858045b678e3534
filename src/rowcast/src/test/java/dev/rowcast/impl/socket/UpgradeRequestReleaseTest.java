package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.socket.ContainerFakes.GrizzlyRequest;
import dev.rowcast.impl.socket.ContainerFakes.MimeHeaders;
import dev.rowcast.impl.socket.ContainerFakes.OtherSession;
import dev.rowcast.impl.socket.ContainerFakes.TyrusLikeSession;

/**
 * The upgrade-request release against {@link ContainerFakes}: objects shaped like Tyrus 2's session and servlet
 * upgrade, Payara 6's WebConnectionImpl and Catalina request, and Grizzly 4's request (the field names it follows).
 * Real sockets on Payara: UpgradeReleaseIT and WorkaroundsOffIT.
 */
class UpgradeRequestReleaseTest {

    private final AtomicInteger released = new AtomicInteger();
    private final UpgradeRequestRelease release = UpgradeRequestRelease.create(released::incrementAndGet);
    private final LogCapture log = new LogCapture(UpgradeRequestRelease.class);
    private final List<String> warnings = log.messages();

    @BeforeEach
    void listen() {
        log.attach();
    }

    @AfterEach
    void stop() {
        log.detach();
    }

    private static void assertUntouched(TyrusLikeSession session) {
        assertNotNull(session.handler().upgradeInfo);
        assertEquals(2, session.grizzly().request.headers.count);
        assertNotNull(session.grizzly().request.headers.headers[0]);
        assertNotNull(session.grizzly().parameters.tmpNameC.buff);
    }

    @Test
    void should_wait_for_the_handshake_to_end_then_let_go_of_headers_buffers_and_the_handshake_record() {
        TyrusLikeSession session = new TyrusLikeSession();
        UpgradeRequestRelease.Handle handle = release.afterOpenOf(session);
        handle.onRead();
        assertEquals(0, released.get(), "still in the container's service call");
        assertUntouched(session);

        session.request().afterService = true;
        handle.onRead();
        handle.onRead();
        assertEquals(1, released.get(), "once");
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
    void should_leave_a_request_alone_once_the_socket_closed() {
        TyrusLikeSession cancelled = new TyrusLikeSession();
        UpgradeRequestRelease.Handle first = release.afterOpenOf(cancelled);
        first.cancel(); // onClose
        cancelled.request().afterService = true;
        first.onRead();

        TyrusLikeSession recycled = new TyrusLikeSession();
        UpgradeRequestRelease.Handle second = release.afterOpenOf(recycled);
        recycled.request().upgrade = false; // WebConnectionImpl.close, as when Tyrus closed without onClose
        recycled.request().afterService = true;
        second.onRead();
        recycled.request().upgrade = true;
        second.onRead();

        TyrusLikeSession reused = new TyrusLikeSession();
        UpgradeRequestRelease.Handle third = release.afterOpenOf(reused);
        GrizzlyRequest original = reused.grizzly();
        reused.request().coyoteRequest = new GrizzlyRequest(); // the Catalina request serves another client
        reused.request().afterService = true;
        third.onRead();

        assertEquals(0, released.get());
        assertUntouched(cancelled);
        assertUntouched(recycled);
        assertNotNull(original.parameters.tmpNameC.buff);
        assertNotNull(reused.grizzly().parameters.tmpNameC.buff);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void should_leave_another_containers_session_alone_and_say_so_once() {
        release.afterOpenOf(new OtherSession()).onRead();
        release.afterOpenOf(new OtherSession()).onRead();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("ROWCAST-099: "), warnings.get(0));
        assertTrue(warnings.get(0).contains(OtherSession.class.getName()), warnings.get(0));
    }

    @Test
    void should_change_nothing_when_the_setting_is_off() {
        TyrusLikeSession session = new TyrusLikeSession();
        session.request().afterService = true;
        UpgradeRequestRelease.off().afterOpenOf(session).onRead();
        assertUntouched(session);
        assertSame(session.request(), session.handler().wc.request);
        assertTrue(warnings.isEmpty());
    }
}
