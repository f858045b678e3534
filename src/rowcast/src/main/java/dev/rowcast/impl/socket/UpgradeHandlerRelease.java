package dev.rowcast.impl.socket;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import jakarta.websocket.Session;

/**
 * Lets the container forget a closed socket: drops what Tyrus's upgrade handler holds once the socket is closed.
 * <p>
 * Payara 6 (web-core's {@code org.apache.catalina.connector.Request.recycle()}) resets {@code upgrade} but not
 * {@code httpUpgradeHandler}. A recycled request goes into a worker thread's Grizzly {@code ThreadCache} (16 per thread
 * and type) still pointing at the closed socket's {@code TyrusHttpUpgradeHandler}, which holds the Tyrus connection:
 * its read buffers, grown to the largest frame the client sent, the {@code TyrusWebSocket}, the {@code TyrusSession}
 * with its text buffer and user properties (Rowcast's {@code ClientConnection}). 160-200 KB per closed socket after a
 * 60 KB frame; up to 16 per worker thread, so hundreds of MB with a grown http-thread-pool (docs/security.md, "The
 * heap after a fuzz run"). Tyrus drops these references itself after 2.1.5 (eclipse-ee4j/tyrus#943 and #944: the
 * handler held the class loader after its session closed); the Payara side is written up in docs/architecture.md,
 * "Platform notes".
 * <p>
 * So, a moment after a socket closes (Tyrus calls the endpoint's {@code onClose} before the handler has closed its
 * {@code WebConnection}), this clears the handler's {@code buf}, {@code connection}, {@code writer} and
 * {@code upgradeInfo} once its {@code closed} flag is set; after that Tyrus reads none of them. It keeps the
 * {@code WebConnection} and the streams, which Tyrus may still use to finish closing and which belong to the
 * container's reusable request. The handler is the closed socket's own object, so no other socket is touched.
 * <p>
 * Guarded: when the session is not Tyrus's servlet one or a field is gone (another container or Tyrus version),
 * nothing is changed and that is logged once.
 */
public final class UpgradeHandlerRelease {

    private static final Logger LOG = Logger.getLogger(UpgradeHandlerRelease.class.getName());

    /** From the session to the handler: TyrusSession, TyrusRemoteEndpoint, TyrusWebSocket, ProtocolHandler, ... */
    private static final List<String> PATH = List.of("asyncRemote", "webSocket", "protocolHandler", "writer",
            "tyrusHttpUpgradeHandler");
    /** {@code org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler}, by its simple name. */
    private static final String HANDLER = "TyrusHttpUpgradeHandler";
    /** What a closed handler no longer needs, and what holds the socket's memory. */
    private static final List<String> RELEASED = List.of("buf", "connection", "writer", "upgradeInfo");
    private static final String CLOSED = "closed";
    private static final String PROXIED = "handler";
    /** Tries before giving up on a handler that does not close (the container closes it on its own path). */
    private static final int ATTEMPTS = 5;

    private final ScheduledExecutorService timers;
    private final long delayMillis;
    private final Runnable released;
    private final AtomicBoolean reported = new AtomicBoolean();

    private UpgradeHandlerRelease(ScheduledExecutorService timers, long delayMillis, Runnable released) {
        this.timers = timers;
        this.delayMillis = delayMillis;
        this.released = released;
    }

    /** A release that changes nothing: the setting is off. */
    public static UpgradeHandlerRelease off() {
        return new UpgradeHandlerRelease(null, 0, () -> { });
    }

    /**
     * @param timers where the release waits for the handler to close
     * @param delayMillis how long after {@code onClose} to look first, and between later looks
     * @param released told once per handler released
     */
    public static UpgradeHandlerRelease create(ScheduledExecutorService timers, long delayMillis, Runnable released) {
        return new UpgradeHandlerRelease(timers, delayMillis, released);
    }

    /** Called from the endpoint's {@code onClose}: schedules the release of the session's upgrade handler. */
    void closed(Session session) {
        closedObject(session);
    }

    /** As {@link #closed}, for any object shaped like Tyrus's session; returns whether a release was scheduled. */
    boolean closedObject(Object session) {
        if (timers == null) {
            return false;
        }
        Object handler = handlerOf(session);
        if (handler == null) {
            return false;
        }
        schedule(handler, ATTEMPTS);
        return true;
    }

    private void schedule(Object handler, int attemptsLeft) {
        try {
            Runnable look = () -> release(handler, attemptsLeft);
            timers.schedule(look, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // undeployed: the container's caches go with the application
        }
    }

    /** Clears the handler's references once it is closed; before that, looks again later. */
    boolean release(Object handler, int attemptsLeft) {
        try {
            Class<?> type = handlerClass(handler.getClass());
            Field closed = field(type, CLOSED);
            if (!closed.getBoolean(handler)) {
                if (attemptsLeft > 1) {
                    schedule(handler, attemptsLeft - 1);
                }
                return false;
            }
            for (String name : RELEASED) {
                field(type, name).set(handler, null);
            }
            released.run();
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(handler, e.toString());
            return false;
        }
    }

    private Object handlerOf(Object session) {
        Object current = session;
        try {
            for (String name : PATH) {
                current = field(current.getClass(), name).get(current);
                if (current == null) {
                    return null; // not connected through a servlet upgrade (yet): nothing of it to keep
                }
            }
            if (handlerClass(current.getClass()) == null) {
                unavailable(session, "its writer's handler is a " + current.getClass().getName());
                return null;
            }
            if (!current.getClass().getSimpleName().equals(HANDLER)) {
                // Tyrus hands the writer a proxy to the handler the container creates; the container keeps the latter
                current = field(current.getClass(), PROXIED).get(current);
            }
            return current;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(session, e.toString());
            return null;
        }
    }

    private static Class<?> handlerClass(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getSimpleName().equals(HANDLER)) {
                return c;
            }
        }
        return null;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private void unavailable(Object what, String why) {
        if (reported.compareAndSet(false, true)) {
            LOG.warning(() -> "ROWCAST-095: cannot release the upgrade handler of a closed socket ("
                    + what.getClass().getName() + ": " + why + "); on Payara 6 each closed socket may then stay in "
                    + "memory until the worker thread that recycled its request ends. Fix: none needed on another "
                    + "container; set rowcast.container.releaseUpgradeHandlers to false to silence this.");
        }
    }
}
