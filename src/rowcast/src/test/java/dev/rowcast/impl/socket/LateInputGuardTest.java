package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.socket.ContainerFakes.Connection;
import dev.rowcast.impl.socket.ContainerFakes.GrizzlyRequest;
import dev.rowcast.impl.socket.ContainerFakes.OtherSession;
import dev.rowcast.impl.socket.ContainerFakes.Packet;
import dev.rowcast.impl.socket.ContainerFakes.TyrusLikeSession;

/**
 * The late-input guard against {@link ContainerFakes}: objects shaped like Tyrus 2's session and servlet upgrade,
 * Payara 6's WebConnectionImpl and Catalina request, and Grizzly 4's request and request packet (the names it follows).
 * Real sockets on Payara: LateInputIT.
 */
class LateInputGuardTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger guarded = new AtomicInteger();
    private final LateInputGuard guard = LateInputGuard.create(timers, 20, guarded::incrementAndGet);
    private final LogCapture log = new LogCapture(LateInputGuard.class);
    private final List<String> warnings = log.messages();

    @BeforeEach
    void listen() {
        log.attach();
    }

    @AfterEach
    void stop() {
        log.detach();
        timers.shutdownNow();
    }

    @Test
    void should_mark_the_handshake_packet_broken_when_the_socket_closes_and_only_then() throws Exception {
        TyrusLikeSession session = new TyrusLikeSession();
        LateInputGuard.Handle handle = guard.afterOpenOf(session);
        assertFalse(session.packet().isContentBroken, "open sockets read on");

        handle.closed();
        handle.closed();

        assertTrue(session.packet().isContentBroken, "the codec drops the connection's input from now on");
        assertEquals(1, guarded.get(), "once");

        Connection connection = session.packet().connection;
        Thread.sleep(100);
        assertSame(session.packet(), connection.attributes.values.get(LateInputGuard.CODEC_REQUEST),
                "kept while the TCP connection is open: its input must still meet the broken packet");
        connection.open = false;
        for (int i = 0; i < 100 && !connection.attributes.values.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertTrue(connection.attributes.values.isEmpty(), "let go of once the connection closed");
        Packet packet = session.packet();
        for (int i = 0; i < 100 && packet.resets == 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(1, packet.resets, "reset once: recycled requests that still name it keep nothing big");
        assertEquals(null, packet.headerBuffer);
        assertEquals(null, packet.connection);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void should_not_reset_a_packet_that_serves_another_connection_by_the_time_this_one_closed() throws Exception {
        TyrusLikeSession session = new TyrusLikeSession();
        guard.afterOpenOf(session).closed();
        Packet packet = session.packet();
        Connection closed = packet.connection;
        packet.connection = new Connection(); // recycled and taken by another connection meanwhile
        closed.open = false;
        for (int i = 0; i < 100 && !closed.attributes.values.isEmpty(); i++) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertTrue(closed.attributes.values.isEmpty());
        assertEquals(0, packet.resets, "another connection's packet is not ours to reset");
        assertTrue(packet.headerBuffer != null);
    }

    @Test
    void should_leave_a_packet_alone_once_the_container_recycled_it() {
        TyrusLikeSession recycledRequest = new TyrusLikeSession();
        LateInputGuard.Handle first = guard.afterOpenOf(recycledRequest);
        Packet firstPacket = recycledRequest.packet();
        recycledRequest.request().coyoteRequest.request = null; // Grizzly's Request.recycle()
        first.closed();

        TyrusLikeSession otherConnection = new TyrusLikeSession();
        LateInputGuard.Handle second = guard.afterOpenOf(otherConnection);
        otherConnection.packet().connection = new Connection(); // the packet serves another connection now
        second.closed();

        TyrusLikeSession otherRequest = new TyrusLikeSession();
        LateInputGuard.Handle third = guard.afterOpenOf(otherRequest);
        Packet thirdPacket = otherRequest.packet();
        otherRequest.request().coyoteRequest = new GrizzlyRequest(); // the Catalina request serves another client
        third.closed();

        assertEquals(0, guarded.get());
        assertFalse(firstPacket.isContentBroken);
        assertFalse(otherConnection.packet().isContentBroken);
        assertFalse(thirdPacket.isContentBroken);
        assertFalse(otherRequest.packet().isContentBroken);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void should_leave_another_containers_session_alone_and_say_so_once() {
        guard.afterOpenOf(new OtherSession()).closed();
        guard.afterOpenOf(new OtherSession()).closed();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("ROWCAST-064: "), warnings.get(0));
        assertTrue(warnings.get(0).contains(OtherSession.class.getName()), warnings.get(0));
        assertEquals(0, guarded.get());
    }

    @Test
    void should_change_nothing_when_the_setting_is_off() {
        TyrusLikeSession session = new TyrusLikeSession();
        LateInputGuard.off().afterOpenOf(session).closed();
        assertFalse(session.packet().isContentBroken);
        assertTrue(warnings.isEmpty());
    }
}
