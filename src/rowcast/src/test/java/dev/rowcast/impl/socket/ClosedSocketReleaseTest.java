package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The release of a closed socket's upgrade handler, against objects shaped like Tyrus 2.1's: the session's path to the
 * handler (through the writer's proxy), the handler's fields, and shapes it does not know.
 */
class ClosedSocketReleaseTest {

    /** Shaped like org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler. */
    static class TyrusHttpUpgradeHandler {
        private volatile boolean closed;
        private Object buf = new byte[16];
        private Object connection = new Object();
        private Object writer;
        private Object upgradeInfo = new Object();
        private final Object wc = new Object();
    }

    /** Shaped like TyrusServletUpgrade.TyrusHttpUpgradeHandlerProxy: handed to the writer before the handler exists. */
    static final class TyrusHttpUpgradeHandlerProxy extends TyrusHttpUpgradeHandler {
        private final TyrusHttpUpgradeHandler handler;

        TyrusHttpUpgradeHandlerProxy(TyrusHttpUpgradeHandler handler) {
            this.handler = handler;
        }
    }

    static final class Writer {
        private final TyrusHttpUpgradeHandler tyrusHttpUpgradeHandler;

        Writer(TyrusHttpUpgradeHandler handler) {
            this.tyrusHttpUpgradeHandler = handler;
        }
    }

    static final class ProtocolHandler {
        private final Writer writer;

        ProtocolHandler(Writer writer) {
            this.writer = writer;
        }
    }

    static final class WebSocket {
        private final ProtocolHandler protocolHandler;

        WebSocket(ProtocolHandler protocolHandler) {
            this.protocolHandler = protocolHandler;
        }
    }

    /** TyrusRemoteEndpoint keeps the web socket in the superclass of its Async. */
    static class RemoteEndpoint {
        private final WebSocket webSocket;

        RemoteEndpoint(WebSocket webSocket) {
            this.webSocket = webSocket;
        }
    }

    static final class Async extends RemoteEndpoint {
        Async(WebSocket webSocket) {
            super(webSocket);
        }
    }

    /** ComponentProviderService: Tyrus's map of session to endpoint instance (in a superclass, as Tyrus subclasses it). */
    static class ComponentProviderService {
        private final Map<Object, Object> sessionToObject = new ConcurrentHashMap<>();
    }

    static final class EndpointWrapper {
        private final ComponentProviderService componentProvider = new ComponentProviderService() { };
    }

    static final class TyrusLikeSession {
        private final Async asyncRemote;
        private final EndpointWrapper endpointWrapper;

        TyrusLikeSession(Async asyncRemote, EndpointWrapper endpointWrapper) {
            this.asyncRemote = asyncRemote;
            this.endpointWrapper = endpointWrapper;
        }
    }

    /** Another container's session. */
    static final class OtherSession {
        private final Object remote = new Object();
    }

    /** Runs scheduled tasks when told to, to follow each look at the handler. */
    static final class ManualTimers extends ScheduledThreadPoolExecutor {
        final List<Runnable> due = new ArrayList<>();

        ManualTimers() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            due.add(command);
            return new ScheduledFuture<Object>() {
                @Override
                public long getDelay(TimeUnit u) {
                    return 0;
                }

                @Override
                public int compareTo(Delayed o) {
                    return 0;
                }

                @Override
                public boolean cancel(boolean mayInterrupt) {
                    return false;
                }

                @Override
                public boolean isCancelled() {
                    return false;
                }

                @Override
                public boolean isDone() {
                    return false;
                }

                @Override
                public Object get() {
                    return null;
                }

                @Override
                public Object get(long timeout, TimeUnit u) {
                    return null;
                }
            };
        }

        void runDue() {
            List<Runnable> now = new ArrayList<>(due);
            due.clear();
            now.forEach(Runnable::run);
        }
    }

    private final ManualTimers timers = new ManualTimers();
    private final AtomicInteger released = new AtomicInteger();
    private final ClosedSocketRelease release = ClosedSocketRelease.create(timers, 1_000,
            released::incrementAndGet);
    private final LogCapture log = new LogCapture(ClosedSocketRelease.class);
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

    private final EndpointWrapper wrapper = new EndpointWrapper();

    private TyrusLikeSession sessionOf(TyrusHttpUpgradeHandler handler) {
        Writer writer = new Writer(new TyrusHttpUpgradeHandlerProxy(handler));
        handler.writer = writer;
        return new TyrusLikeSession(new Async(new WebSocket(new ProtocolHandler(writer))), wrapper);
    }

    private Map<Object, Object> componentMap() {
        return wrapper.componentProvider.sessionToObject;
    }

    @Test
    void should_clear_the_handler_behind_the_proxy_once_it_is_closed_and_keep_its_web_connection() {
        TyrusHttpUpgradeHandler handler = new TyrusHttpUpgradeHandler();
        Object wc = handler.wc;
        assertTrue(release.closedObject(sessionOf(handler)));
        assertNotNull(handler.buf, "nothing is cleared in onClose itself: Tyrus still closes the web connection");

        handler.closed = true;
        timers.runDue();

        assertNull(handler.buf);
        assertNull(handler.connection);
        assertNull(handler.writer);
        assertNull(handler.upgradeInfo);
        assertSame(wc, handler.wc, "Tyrus may still close it");
        assertEquals(1, released.get());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void should_look_again_while_the_handler_is_open_and_give_up_after_a_few_looks() {
        TyrusHttpUpgradeHandler handler = new TyrusHttpUpgradeHandler();
        release.closedObject(sessionOf(handler));
        for (int look = 0; look < 10; look++) {
            timers.runDue();
        }
        assertTrue(timers.due.isEmpty(), "no look scheduled forever");
        assertNotNull(handler.connection, "an open handler is left alone");
        assertEquals(0, released.get());

        TyrusHttpUpgradeHandler later = new TyrusHttpUpgradeHandler();
        release.closedObject(sessionOf(later));
        timers.runDue();
        later.closed = true;
        timers.runDue();
        assertNull(later.connection, "closed between two looks");
    }

    @Test
    void should_remove_a_closed_session_that_tyrus_put_back_in_its_component_map_then_and_later() {
        TyrusHttpUpgradeHandler handler = new TyrusHttpUpgradeHandler();
        handler.closed = true;
        TyrusLikeSession session = sessionOf(handler);
        TyrusLikeSession open = sessionOf(new TyrusHttpUpgradeHandler());
        componentMap().put(open, "endpoint");
        release.closedObject(session);
        componentMap().put(session, "endpoint"); // a message handled on another thread while it closed

        timers.runDue();
        assertFalse(componentMap().containsKey(session));
        assertTrue(componentMap().containsKey(open), "other sessions stay");

        componentMap().put(session, "endpoint"); // a thread that stalled puts it back later still
        timers.runDue();
        assertFalse(componentMap().containsKey(session));
        assertTrue(componentMap().containsKey(open));
        assertTrue(timers.due.isEmpty(), "no look scheduled forever");
        assertEquals(2, released.get());
    }

    @Test
    void should_change_nothing_and_warn_once_per_part_for_another_container() {
        assertFalse(release.closedObject(new OtherSession()));
        assertFalse(release.closedObject(new OtherSession()));
        assertTrue(timers.due.isEmpty());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().allMatch(warning -> warning.startsWith("ROWCAST-095")), warnings.toString());
    }

    @Test
    void should_change_nothing_when_off() {
        TyrusHttpUpgradeHandler handler = new TyrusHttpUpgradeHandler();
        handler.closed = true;
        assertFalse(ClosedSocketRelease.off().closedObject(sessionOf(handler)));
        assertNotNull(handler.buf);
    }

    @Test
    void should_not_fail_when_the_timers_are_shut_down() {
        ScheduledExecutorService stopped = new ScheduledThreadPoolExecutor(1);
        stopped.shutdownNow();
        assertTrue(ClosedSocketRelease.create(stopped, 1, () -> { })
                .closedObject(sessionOf(new TyrusHttpUpgradeHandler())));
    }
}
