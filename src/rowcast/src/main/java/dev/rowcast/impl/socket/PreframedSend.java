package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.field;
import static dev.rowcast.impl.socket.ContainerReflection.method;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Logger;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import dev.rowcast.impl.protocol.OutboundFrame;

/**
 * Sends each message as bytes framed once, where Tyrus would frame it again for every socket.
 * <p>
 * Tyrus 2.1.5's {@code sendText} encodes the text to UTF-8 with a strict encoder, builds a frame object and copies
 * both into a new buffer, per socket and per message: about seven tenths of a sending thread's CPU in the fan-out
 * profile (docs/benchmarks.md). The dispatcher hands the same {@link OutboundFrame} to every subscriber of a stream
 * who may see the same thing, so its WebSocket bytes can be made once and written to every socket as they are.
 * Tyrus's own {@code TyrusSession.broadcast} does exactly this for all the sessions of an endpoint, through
 * {@code TyrusWebSocket.sendRawFrame}; it offers no public way to do it for a chosen set of sessions, so this reaches
 * the session's {@code TyrusWebSocket} through its async remote's {@code webSocket} field.
 * <p>
 * {@code sendRawFrame} takes the same write lock and checks the same connected state as {@code sendText}, so frames,
 * pings and the close frame keep their order. It skips the idle timer's re-arm on send ({@link IdleTimerBypass}):
 * with this on, only what the client sends keeps a positive idle timeout from expiring (Rowcast sets none; its
 * heartbeats' pongs count as sent by the client). Not used for a socket that negotiated an extension, whose frames
 * the extension would have to transform.
 * <p>
 * Guarded: when the session is not Tyrus's or the field or method is gone (another container or Tyrus version), the
 * socket sends the standard way and that is logged once.
 */
public final class PreframedSend {

    private static final Logger LOG = Logger.getLogger(PreframedSend.class.getName());
    private static final String WEB_SOCKET = "webSocket";
    private static final String SEND_RAW = "sendRawFrame";
    private static final SendResult OK = new SendResult();

    private final boolean on;
    private final Runnable used;
    private final OneTimeWarning warning = new OneTimeWarning(LOG);

    private PreframedSend(boolean on, Runnable used) {
        this.on = on;
        this.used = used;
    }

    /** Every socket sends the standard way: the setting is off. */
    public static PreframedSend off() {
        return new PreframedSend(false, () -> { });
    }

    /** @param used told once per socket that sends pre-framed */
    public static PreframedSend create(Runnable used) {
        return new PreframedSend(true, used);
    }

    /** The session's outlet: pre-framed where the container allows it, else the standard one. */
    Outlet outletFor(Session session) {
        RemoteEndpoint.Async remote = session.getAsyncRemote();
        Outlet preframed = on && session.getNegotiatedExtensions().isEmpty() ? preframed(remote) : null;
        return preframed != null ? preframed : Outlet.of(remote);
    }

    /** As {@link #outletFor}, for any object shaped like Tyrus's async remote; null where it cannot be used. */
    Outlet preframed(Object remote) {
        Field socketField = field(remote.getClass(), WEB_SOCKET);
        if (socketField == null) {
            unavailable(remote, "it has no field '" + WEB_SOCKET + "'");
            return null;
        }
        try {
            Object socket = socketField.get(remote);
            Method send = socket == null ? null : method(socket.getClass(), SEND_RAW, ByteBuffer.class);
            if (send == null || !Future.class.isAssignableFrom(send.getReturnType())) {
                unavailable(remote, "its web socket has no method " + SEND_RAW + "(ByteBuffer) returning a Future");
                return null;
            }
            used.run();
            return new Preframed(socket, send);
        } catch (IllegalAccessException | RuntimeException e) {
            unavailable(remote, e.toString());
            return null;
        }
    }

    private void unavailable(Object remote, String why) {
        warning.warn(() -> "ROWCAST-065: cannot send pre-framed messages through " + remote.getClass().getName()
                + " (" + why + "); every socket frames and encodes each message again. Delivery is correct, only "
                + "slower. Fix: none needed; set rowcast.outbound.preframed to false to silence this.");
    }

    /** One socket's pre-framed outlet. */
    private record Preframed(Object socket, Method send) implements Outlet {

        @Override
        public void send(OutboundFrame message, SendHandler sent) {
            Future<?> written;
            try {
                written = (Future<?>) send.invoke(socket, ByteBuffer.wrap(message.wire()));
            } catch (InvocationTargetException e) {
                throw unchecked(e.getCause());
            } catch (IllegalAccessException e) {
                throw new UndeclaredThrowableException(e); // not "closed": the caller closes the socket with 1011
            }
            sent.onResult(outcome(written));
        }

        /** Taken by the container's write queue: OK, or what failed at once (a broken connection). */
        private static SendResult outcome(Future<?> written) {
            if (written == null || !written.isDone()) {
                return OK;
            }
            try {
                written.get();
                return OK;
            } catch (ExecutionException e) {
                return new SendResult(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OK;
            } catch (RuntimeException e) {
                return new SendResult(e);
            }
        }

        /** What the container threw, as it threw it (IllegalStateException: closed, as sendText says it). */
        private static RuntimeException unchecked(Throwable cause) {
            if (cause instanceof Error error) {
                throw error;
            }
            return cause instanceof RuntimeException runtime ? runtime : new UndeclaredThrowableException(cause);
        }
    }
}
