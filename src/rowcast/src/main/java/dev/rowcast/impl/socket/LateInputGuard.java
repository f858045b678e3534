package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.call;
import static dev.rowcast.impl.socket.ContainerReflection.method;
import static dev.rowcast.impl.socket.ContainerReflection.read;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.websocket.Session;

/**
 * Keeps what a client sends after its socket closed from being served by the container as a new HTTP request.
 * <p>
 * On Payara 6 / Grizzly 4, a socket closed from a thread other than its reader (Rowcast's timers, dispatch and send
 * threads) ends the handshake's HTTP request at once on that thread ({@code WebConnectionImpl.close} resumes the
 * suspended response; {@code HttpServerFilter.afterService} removes the request in progress and recycles the request
 * objects), but Grizzly's HTTP codec still takes the connection's next bytes for the handshake's request packet. A
 * client that answers the close frame at once has its close frame read just then, and served as a second request
 * around the same packet while the close path resets it: NullPointerExceptions in Payara's request handling, and now
 * and then, when the recycled objects reach another connection, a handshake never answered (docs/architecture.md,
 * "Platform notes", has the chain and the upstream report; LateInputIT shows it).
 * <p>
 * {@link Handle#closed()}, from {@code onClose} (Tyrus calls it before it closes the {@code WebConnection}), marks the
 * packet's content broken, which the codec checks first on every read of the connection: it then drops the rest of
 * the connection's input, as it does for a request whose body is broken. Tyrus reads nothing after {@code onClose}.
 * A broken packet also stops the codec from letting go of it when the connection closes, and Grizzly's cached
 * responses still name their last (closed) connection: so once the TCP connection is closed, the guard removes the
 * packet from the connection's attributes itself, looking every {@code delayMillis} for a while. It then resets the
 * packet as the codec's recycling would, without handing it back to a cache: the request objects the container
 * recycled keep naming their last packet until reused (up to 16 per HTTP worker thread, and one per thread in a
 * thread-local), and through it the connection and the read buffer that held the handshake, up to 64 KiB each
 * (docs/architecture.md, "Platform notes").
 * Guarded: each link is found by name; where one is missing nothing is changed and that is logged once.
 */
public final class LateInputGuard {

    private static final Logger LOG = Logger.getLogger(LateInputGuard.class.getName());

    /** The codec's attribute that holds the connection's request in progress (Grizzly's HttpServerFilter). */
    static final String CODEC_REQUEST = "org.glassfish.grizzly.http.HttpServerFilter.HttpRequest";
    /** Looks at a connection that has not closed yet before giving up (a client that never reads keeps it open). */
    private static final int ATTEMPTS = 30;

    private final ScheduledExecutorService timers;
    private final long delayMillis;
    private final Runnable guarded;
    private final OneTimeWarning warning = new OneTimeWarning(LOG);

    private LateInputGuard(ScheduledExecutorService timers, long delayMillis, Runnable guarded) {
        this.timers = timers;
        this.delayMillis = delayMillis;
        this.guarded = guarded;
    }

    /** A guard that changes nothing: the setting is off. */
    public static LateInputGuard off() {
        return new LateInputGuard(null, 0, null);
    }

    /**
     * @param timers where the guard waits for the TCP connection to close
     * @param delayMillis between looks at the connection
     * @param guarded told once per closed socket whose late input is now dropped
     */
    public static LateInputGuard create(ScheduledExecutorService timers, long delayMillis, Runnable guarded) {
        return new LateInputGuard(timers, delayMillis, guarded);
    }

    /** The session's user property that holds its {@link Handle}. */
    static final String PROPERTY = LateInputGuard.class.getName() + ".handle";

    /** One socket's guard. */
    public interface Handle {

        /** The connection's input from now on is dropped: from {@code onClose}, or before the server closes. */
        void closed();
    }

    /**
     * Guards a socket the server is about to close, before its close frame goes out: the client's answer to that frame
     * then always finds its input dropped. From {@code onClose} alone it could be read first, as the server's close
     * runs on another thread than the socket's reads.
     */
    static void closing(Session session) {
        Map<String, Object> properties = session.getUserProperties();
        if (properties != null && properties.get(PROPERTY) instanceof Handle handle) {
            handle.closed();
        }
    }

    private static final Handle NONE = () -> {
    };

    /** Called from {@code onOpen}: finds the socket's request packet and TCP connection. */
    Handle afterOpen(Session session) {
        return afterOpenOf(session);
    }

    /** As {@link #afterOpen}, for any object shaped like Tyrus's session. */
    Handle afterOpenOf(Object session) {
        if (guarded == null) {
            return NONE;
        }
        try {
            Target target = Target.of(session);
            if (target == null) {
                unavailable(session, "it is not Tyrus's servlet upgrade on Payara/Grizzly");
                return NONE;
            }
            return new Pending(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(session, e.toString());
            return NONE;
        }
    }

    private void unavailable(Object session, String why) {
        warning.warn(() -> "ROWCAST-064: cannot make the container drop what a client sends after its socket "
                + "closed, for " + session.getClass().getName() + " (" + why + "). On Payara 6 such input can be "
                + "served as a second HTTP request (NullPointerExceptions in the container's log, now and then a "
                + "later handshake left unanswered); delivery is otherwise correct. Fix: none needed on other "
                + "servers; set rowcast.container.dropInputAfterClose to false to silence this.");
    }

    private final class Pending implements Handle {

        private Target target;

        Pending(Target target) {
            this.target = target;
        }

        @Override
        public synchronized void closed() {
            Target current = target;
            target = null;
            if (current == null) {
                return;
            }
            try {
                if (current.guard()) {
                    guarded.run();
                    forgetOnceClosed(current, ATTEMPTS);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                unavailable(current.session, e.toString());
            }
        }
    }

    private void forgetOnceClosed(Target target, int attempts) {
        try {
            timers.schedule(() -> {
                try {
                    if (!target.forget() && attempts > 1) {
                        forgetOnceClosed(target, attempts - 1);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    unavailable(target.session, e.toString());
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // undeploying: the connection goes with the server's worker threads
        }
    }

    /** The socket's Grizzly request, its packet and its TCP connection, found along Tyrus's and Payara's references. */
    static final class Target {

        final Object session;
        private final Object servletRequest;
        private final Object grizzlyRequest;
        private final Object packet;
        private final Object connection;

        private Target(Object session, Object servletRequest, Object grizzlyRequest, Object packet,
                Object connection) {
            this.session = session;
            this.servletRequest = servletRequest;
            this.grizzlyRequest = grizzlyRequest;
            this.packet = packet;
            this.connection = connection;
        }

        /**
         * The handshake's request ({@link UpgradedRequest}); Grizzly 4: its getRequest() (the HttpRequestPacket the
         * codec keeps), that packet's getConnection().
         *
         * @return null when a link is missing
         */
        static Target of(Object session) throws ReflectiveOperationException {
            UpgradedRequest request = UpgradedRequest.of(session);
            Object packet = request == null ? null : call(request.grizzlyRequest(), "getRequest");
            Object tcp = packet == null ? null : call(packet, "getConnection");
            if (tcp == null || method(packet.getClass(), "setContentBroken", boolean.class) == null) {
                return null;
            }
            return new Target(session, request.servletRequest(), request.grizzlyRequest(), packet, tcp);
        }

        /**
         * Marks the packet's content broken, if it still carries this socket's handshake: the Catalina request
         * still wraps the same Grizzly request, which still has this packet, still on this connection.
         *
         * @return whether it was marked
         */
        boolean guard() throws ReflectiveOperationException {
            if (read(servletRequest, "coyoteRequest") != grizzlyRequest || call(grizzlyRequest, "getRequest") != packet
                    || call(packet, "getConnection") != connection) {
                return false; // recycled: it is not ours any more
            }
            method(packet.getClass(), "setContentBroken", boolean.class).invoke(packet, true);
            return true;
        }

        /**
         * Once the TCP connection is closed, removes the packet from its attributes, as the codec would have, and
         * resets the packet if it still belongs to this connection (Grizzly 4's {@code reset()}: parsing state,
         * headers, the header buffer and the connection let go; not {@code recycle()}, which would put it in a cache
         * a second time if anything else recycled it too).
         *
         * @return false while the connection is still open
         */
        boolean forget() throws ReflectiveOperationException {
            if (Boolean.TRUE.equals(call(connection, "isOpen"))) {
                return false;
            }
            Object attributes = call(connection, "getAttributes");
            Method remove = method(attributes.getClass(), "removeAttribute", String.class);
            if (remove == null) {
                throw new NoSuchMethodException(attributes.getClass().getName() + ".removeAttribute(String)");
            }
            remove.invoke(attributes, CODEC_REQUEST);
            if (call(packet, "getConnection") == connection) {
                call(packet, "reset");
            }
            return true;
        }
    }
}
