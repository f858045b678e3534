package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.call;
import static dev.rowcast.impl.socket.ContainerReflection.field;
import static dev.rowcast.impl.socket.ContainerReflection.read;
import static dev.rowcast.impl.socket.ContainerReflection.write;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.logging.Logger;

import jakarta.websocket.Session;

/**
 * Lets go of the parts of the HTTP upgrade request that Payara keeps for a WebSocket's whole life.
 * <p>
 * A servlet upgrade suspends the container's HTTP response until the socket closes, so Grizzly's request and response
 * (their header fields, each with three chunk objects, and the query-parameter parser's two 2 KB scratch buffers) and
 * Tyrus's handshake record ({@code TyrusHttpUpgradeHandler.upgradeInfo}: a copy of every request and response header)
 * stay reachable: about 10 KB of the ~30 KB each idle socket keeps (docs/benchmarks.md, "Idle subscribed
 * connections"). Rowcast copies what it needs at the handshake ({@code HandshakeIdentities}), and Tyrus never reads
 * the handshake record after {@code init}. No setting of Payara 6, Grizzly 4 or Tyrus 2 releases them
 * (docs/architecture.md, "Platform notes", has the upstream report's text). So this empties the header lists, drops
 * the scratch buffers (Grizzly allocates them again if it reuses the request object) and the handshake record.
 * <p>
 * When: Grizzly's HTTP/2 filter reads the request's {@code Connection} header on every read of an upgraded connection
 * ({@code Http2ServerFilter.handleRead} → {@code checkRequestHeadersOnUpgrade}), so the release runs on the socket's
 * own read path ({@link Handle#onRead()}, from the message and pong handlers), where Grizzly has finished that check
 * and reads no more of this connection until the handler returns; and only once Catalina's {@code afterService} says
 * the container left the handshake's service call. A socket that reads nothing after that keeps its request until
 * the next heartbeat's pong.
 * <p>
 * Guarded: each step finds its field by name; when one is missing (another container or version), nothing more is
 * changed and that is logged once. {@link Handle#cancel()}, which {@code onClose} calls before the container closes
 * the connection and recycles the request, takes the same lock, so a request that already serves another client is
 * never touched.
 */
public final class UpgradeRequestRelease {

    private static final Logger LOG = Logger.getLogger(UpgradeRequestRelease.class.getName());

    private final Runnable released;
    private final OneTimeWarning warning = new OneTimeWarning(LOG);

    private UpgradeRequestRelease(Runnable released) {
        this.released = released;
    }

    /** A release that changes nothing: the setting is off. */
    public static UpgradeRequestRelease off() {
        return new UpgradeRequestRelease(null);
    }

    /** @param released told once per socket whose upgrade request was let go */
    public static UpgradeRequestRelease create(Runnable released) {
        return new UpgradeRequestRelease(released);
    }

    /** One socket's pending release. */
    public interface Handle {

        /** From the socket's read path (a message or pong handler): releases once the handshake is over. */
        void onRead();

        /** From {@code onClose}: the socket's request must no longer be touched. */
        void cancel();
    }

    private static final Handle NONE = new Handle() {
        @Override
        public void onRead() {
        }

        @Override
        public void cancel() {
        }
    };

    /** Called from {@code onOpen}: finds the socket's upgrade request, for release on a later read. */
    Handle afterOpen(Session session) {
        return afterOpenOf(session);
    }

    /** As {@link #afterOpen}, for any object shaped like Tyrus's session. */
    Handle afterOpenOf(Object session) {
        if (released == null) {
            return NONE;
        }
        Target target;
        try {
            target = Target.of(session);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(session, e.toString());
            return NONE;
        }
        if (target == null) {
            unavailable(session, "it is not Tyrus's servlet upgrade on Payara/Grizzly");
            return NONE;
        }
        return new Pending(target);
    }

    private void unavailable(Object session, String why) {
        warning.warn(() -> "ROWCAST-099: cannot release the HTTP upgrade request of " + session.getClass().getName()
                + " (" + why + "); each open socket keeps about 10 KB more heap. Delivery is correct. Fix: none "
                + "needed; set rowcast.connection.releaseUpgradeRequest to false to silence this.");
    }

    /** One socket's release, until it ran or the socket closed. */
    private final class Pending implements Handle {

        private volatile Target target;

        Pending(Target target) {
            this.target = target;
        }

        @Override
        public synchronized void cancel() {
            target = null;
        }

        @Override
        public void onRead() {
            if (target != null) { // after the release, a read costs this volatile read only
                attempt();
            }
        }

        private synchronized void attempt() {
            Target current = target;
            if (current == null) {
                return;
            }
            try {
                switch (current.state()) {
                    case IN_HANDSHAKE -> {
                        return; // the next read tries again
                    }
                    case OPEN -> {
                        current.release();
                        released.run();
                    }
                    case GONE -> {
                        // closed without onClose, or recycled: nothing of it is ours any more
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                unavailable(current.session, e.toString());
            }
            target = null;
        }
    }

    /** The objects one socket's release touches, found by field name along Tyrus's and Payara's own references. */
    static final class Target {

        final Object session;
        private final Object upgradeHandler;
        private final Object servletRequest;
        private final Object grizzlyRequest;

        private Target(Object session, Object upgradeHandler, Object servletRequest, Object grizzlyRequest) {
            this.session = session;
            this.upgradeHandler = upgradeHandler;
            this.servletRequest = servletRequest;
            this.grizzlyRequest = grizzlyRequest;
        }

        /**
         * The handshake's request ({@link UpgradedRequest}), if its objects have the fields the release clears.
         *
         * @return null when a link is missing or of another type
         */
        static Target of(Object session) throws ReflectiveOperationException {
            UpgradedRequest request = UpgradedRequest.of(session);
            if (request == null) {
                return null;
            }
            Object handler = request.handler();
            Object servletRequest = request.servletRequest();
            Object grizzlyRequest = request.grizzlyRequest();
            if (!has(handler, "upgradeInfo") || !has(servletRequest, "afterService")
                    || !has(servletRequest, "upgrade") || !has(grizzlyRequest, "parameters")) {
                return null;
            }
            return new Target(session, handler, servletRequest, grizzlyRequest);
        }

        enum State { IN_HANDSHAKE, OPEN, GONE }

        /**
         * OPEN once the container has left its service call for the handshake (Catalina sets {@code afterService});
         * GONE once the socket closed or its request was recycled ({@code WebConnectionImpl.close} clears
         * {@code upgrade} first), as when Tyrus closed without calling {@code onClose}.
         */
        State state() throws ReflectiveOperationException {
            boolean closed = session instanceof Session socket && !socket.isOpen();
            if (closed || !Boolean.TRUE.equals(read(servletRequest, "upgrade"))
                    || read(servletRequest, "coyoteRequest") != grizzlyRequest) {
                return State.GONE;
            }
            return Boolean.TRUE.equals(read(servletRequest, "afterService")) ? State.OPEN : State.IN_HANDSHAKE;
        }

        void release() throws ReflectiveOperationException {
            write(upgradeHandler, "upgradeInfo", null);
            Object requestPacket = call(grizzlyRequest, "getRequest");
            emptyHeaders(call(requestPacket, "getHeaders"));
            Object response = call(grizzlyRequest, "getResponse");
            emptyHeaders(call(call(response, "getResponse"), "getHeaders"));
            Object parameters = read(grizzlyRequest, "parameters");
            call(read(parameters, "tmpNameC"), "reset");
            call(read(parameters, "tmpValueC"), "reset");
        }

        /** Grizzly's MimeHeaders keeps cleared fields for reuse; a new array of the same size lets them go. */
        private static void emptyHeaders(Object headers) throws ReflectiveOperationException {
            call(headers, "clear");
            Field field = field(headers.getClass(), "headers");
            Object fields = field.get(headers);
            field.set(headers, Array.newInstance(fields.getClass().getComponentType(), Array.getLength(fields)));
        }
    }

    private static boolean has(Object target, String name) {
        return field(target.getClass(), name) != null;
    }
}
