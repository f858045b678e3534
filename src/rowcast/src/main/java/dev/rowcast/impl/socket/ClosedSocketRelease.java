package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.requiredField;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.websocket.Session;

/**
 * Lets the container forget a closed socket. Payara 6 with Tyrus 2.1.5 keeps two references to a socket after it
 * closed (docs/security.md, "The heap after a fuzz run"; docs/architecture.md, "Platform notes" has the upstream
 * reports):
 * <ul>
 * <li><b>The upgrade handler.</b> web-core's {@code Request.recycle()} resets {@code upgrade} but not
 * {@code httpUpgradeHandler}; the recycled request waits in a worker thread's Grizzly {@code ThreadCache} (16 per thread)
 * still pointing at the closed socket's {@code TyrusHttpUpgradeHandler}, which holds the Tyrus connection: read buffers
 * grown to the largest frame received, the {@code TyrusWebSocket}, the session. Tyrus drops these itself after 2.1.5
 * (eclipse-ee4j/tyrus#943, #944). A moment after {@code onClose} (Tyrus calls it before the handler closes its
 * {@code WebConnection}), once the handler's {@code closed} flag is set, this clears its {@code buf},
 * {@code connection}, {@code writer} and {@code upgradeInfo}, which Tyrus no longer reads then; it keeps the
 * {@code WebConnection} and streams, which belong to the container's reusable request.</li>
 * <li><b>The session in Tyrus's component map.</b> For an endpoint registered by class, Tyrus keeps
 * {@code session -> endpoint} in {@code ComponentProviderService.sessionToObject}, removed in {@code onClose}; but a
 * message or error being handled on another thread while the socket closes looks the endpoint up again after that
 * and puts the closed session back, for good, with its buffers and user properties (Rowcast's
 * {@code ClientConnection}). This removes the closed session from that map a moment after {@code onClose}, and once
 * more later if it is still reachable then.</li>
 * </ul>
 * Each is guarded: where the fields are not there (another container or Tyrus version) nothing is changed and that is
 * logged once.
 */
public final class ClosedSocketRelease {

    private static final Logger LOG = Logger.getLogger(ClosedSocketRelease.class.getName());

    /** From the session to the handler: TyrusSession, TyrusRemoteEndpoint, TyrusWebSocket, ProtocolHandler, ... */
    private static final List<String> HANDLER_PATH = List.of("asyncRemote", "webSocket", "protocolHandler", "writer",
            "tyrusHttpUpgradeHandler");
    /** {@code org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler}, by its simple name. */
    private static final String HANDLER = "TyrusHttpUpgradeHandler";
    /** What a closed handler no longer needs, and what holds the socket's memory. */
    private static final List<String> RELEASED = List.of("buf", "connection", "writer", "upgradeInfo");
    private static final String CLOSED = "closed";
    private static final String PROXIED = "handler";
    /** From the session to Tyrus's map of session to endpoint instance. */
    private static final List<String> MAP_PATH = List.of("endpointWrapper", "componentProvider", "sessionToObject");
    /** Looks at a handler that has not closed yet, before giving up (the container closes it on its own path). */
    private static final int ATTEMPTS = 5;
    /** The last look at the component map, in delays: a stalled thread may put the session back late. */
    private static final int LAST_LOOK = 30;

    private final ScheduledExecutorService timers;
    private final long delayMillis;
    private final Runnable released;
    private final OneTimeWarning handlerWarning = new OneTimeWarning(LOG);
    private final OneTimeWarning mapWarning = new OneTimeWarning(LOG);

    private ClosedSocketRelease(ScheduledExecutorService timers, long delayMillis, Runnable released) {
        this.timers = timers;
        this.delayMillis = delayMillis;
        this.released = released;
    }

    /** A release that changes nothing: the setting is off. */
    public static ClosedSocketRelease off() {
        return new ClosedSocketRelease(null, 0, () -> { });
    }

    /**
     * @param timers where the release waits for the socket to finish closing
     * @param delayMillis how long after {@code onClose} to look first, and between later looks
     * @param released told once per closed socket let go of (its handler cleared or its session removed)
     */
    public static ClosedSocketRelease create(ScheduledExecutorService timers, long delayMillis, Runnable released) {
        return new ClosedSocketRelease(timers, delayMillis, released);
    }

    /** Called from the endpoint's {@code onClose}: schedules the release of what the container keeps of it. */
    void closed(Session session) {
        closedObject(session);
    }

    /** As {@link #closed}, for any object shaped like Tyrus's session; returns whether a release was scheduled. */
    boolean closedObject(Object session) {
        if (timers == null) {
            return false;
        }
        Object handler = handlerOf(session);
        Map<?, ?> sessions = sessionMapOf(session);
        if (handler == null && sessions == null) {
            return false;
        }
        schedule(() -> firstLook(session, handler, sessions, ATTEMPTS), delayMillis);
        return true;
    }

    private void schedule(Runnable look, long delay) {
        try {
            timers.schedule(look, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // undeployed: the container's caches and maps go with the application
        }
    }

    private void firstLook(Object session, Object handler, Map<?, ?> sessions, int attemptsLeft) {
        boolean let = false;
        if (sessions != null) {
            let = sessions.remove(session) != null;
            // only a weak reference waits for the last look: it must not keep the session itself
            WeakReference<Object> later = new WeakReference<>(session);
            schedule(() -> lastLook(later, sessions), delayMillis * LAST_LOOK);
        }
        if (handler != null) {
            let |= releaseHandler(handler, attemptsLeft);
        }
        if (let) {
            released.run();
        }
    }

    private void lastLook(WeakReference<Object> later, Map<?, ?> sessions) {
        Object session = later.get();
        if (session != null && sessions.remove(session) != null) {
            released.run();
        }
    }

    /** Clears the handler's references once it is closed; before that, looks again later. */
    boolean releaseHandler(Object handler, int attemptsLeft) {
        try {
            Class<?> type = handlerClass(handler.getClass());
            Field closed = requiredField(type, CLOSED);
            if (!closed.getBoolean(handler)) {
                if (attemptsLeft > 1) {
                    schedule(() -> {
                        if (releaseHandler(handler, attemptsLeft - 1)) {
                            released.run();
                        }
                    }, delayMillis);
                }
                return false;
            }
            for (String name : RELEASED) {
                requiredField(type, name).set(handler, null);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(handlerWarning, "the upgrade handler", handler, e.toString());
            return false;
        }
    }

    private Object handlerOf(Object session) {
        try {
            Object current = follow(session, HANDLER_PATH);
            if (current == null) {
                return null; // not connected through a servlet upgrade: nothing of it to keep
            }
            if (handlerClass(current.getClass()) == null) {
                unavailable(handlerWarning, "the upgrade handler", session,
                        "its writer's handler is a " + current.getClass().getName());
                return null;
            }
            if (!current.getClass().getSimpleName().equals(HANDLER)) {
                // Tyrus hands the writer a proxy to the handler the container creates; the container keeps the latter
                current = requiredField(current.getClass(), PROXIED).get(current);
            }
            return current;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(handlerWarning, "the upgrade handler", session, e.toString());
            return null;
        }
    }

    private Map<?, ?> sessionMapOf(Object session) {
        try {
            Object map = follow(session, MAP_PATH);
            if (map instanceof Map<?, ?> sessions) {
                return sessions;
            }
            unavailable(mapWarning, "the component map entry", session, "no map at " + MAP_PATH);
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(mapWarning, "the component map entry", session, e.toString());
            return null;
        }
    }

    private static Object follow(Object start, List<String> path) throws ReflectiveOperationException {
        Object current = start;
        for (String name : path) {
            current = requiredField(current.getClass(), name).get(current);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static Class<?> handlerClass(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getSimpleName().equals(HANDLER)) {
                return c;
            }
        }
        return null;
    }

    private void unavailable(OneTimeWarning warning, String what, Object of, String why) {
        warning.warn(() -> "ROWCAST-095: cannot release " + what + " of a closed socket ("
                + of.getClass().getName() + ": " + why + "); on Payara 6 with Tyrus 2.1 closed sockets may then "
                + "stay in memory. Fix: none needed on another container; set "
                + "rowcast.container.releaseClosedSockets to false to silence this.");
    }
}
