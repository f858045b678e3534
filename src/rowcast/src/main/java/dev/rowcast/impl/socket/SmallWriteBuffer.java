package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.field;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Logger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Shrinks the container's write buffer of each WebSocket handshake's response, before the upgrade commits it.
 * <p>
 * An upgraded connection writes through its HTTP response's output buffer for its whole life. Grizzly 4's
 * {@code OutputBuffer.write(byte[], off, len)} copies a message no longer than the buffer size into a new buffer of
 * that size, and off Grizzly's own worker threads (Rowcast's senders, any application thread) there is no
 * thread-local pool to slice it from: every WebSocket message allocated a fresh 8 KB {@code byte[]}, two thirds of
 * all the garbage per delivered frame (docs/benchmarks.md, finding 11). A longer message is written as it is,
 * without that copy. Catalina's {@code setBufferSize} only grows the buffer, so this calls Grizzly's own
 * {@code setBufferSize} with Grizzly's minimum, {@value #BUFFER_BYTES}: a message at most that long costs that many
 * bytes, a longer one none. No setting of Payara 6 or Grizzly 4 does it per connection (docs/architecture.md,
 * "Platform notes", has the upstream report's text).
 * <p>
 * Guarded: when the response is not Payara's (another container or version), nothing is changed and that is
 * logged once.
 */
public final class SmallWriteBuffer implements Filter {

    private static final Logger LOG = Logger.getLogger(SmallWriteBuffer.class.getName());
    /** Grizzly's {@code OutputBuffer.MIN_BUFFER_SIZE}. */
    static final int BUFFER_BYTES = 512;

    private final Runnable shrunk;
    private final OneTimeWarning warning = new OneTimeWarning(LOG);

    /** @param shrunk told once per handshake whose write buffer was made small */
    public SmallWriteBuffer(Runnable shrunk) {
        this.shrunk = shrunk;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && "websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            shrink(response);
        }
        chain.doFilter(request, response);
    }

    /** @return whether the response's Grizzly output buffer now holds at most {@value #BUFFER_BYTES} bytes */
    boolean shrink(Object response) {
        try {
            Object outputBuffer = grizzlyOutputBuffer(response);
            if (outputBuffer == null) {
                unavailable(response, "it is not Payara's response on Grizzly");
                return false;
            }
            Method set = outputBuffer.getClass().getMethod("setBufferSize", int.class);
            Method get = outputBuffer.getClass().getMethod("getBufferSize");
            if ((int) get.invoke(outputBuffer) > BUFFER_BYTES) {
                set.invoke(outputBuffer, BUFFER_BYTES);
            }
            if ((int) get.invoke(outputBuffer) > BUFFER_BYTES) {
                unavailable(response, "its buffer did not shrink (already committed?)");
                return false;
            }
            shrunk.run();
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable(response, e.toString());
            return false;
        }
    }

    /**
     * Payara 6: the facade's {@code response} (Catalina's) {@code .getCoyoteResponse()} (Grizzly's)
     * {@code .getOutputBuffer()}; wrappers are unwrapped first.
     *
     * @return null when a link is missing
     */
    private static Object grizzlyOutputBuffer(Object response) throws ReflectiveOperationException {
        Object current = response;
        while (current instanceof ServletResponseWrapper wrapper) {
            current = wrapper.getResponse();
        }
        Field field = field(current.getClass(), "response");
        Object catalina = field == null ? null : field.get(current);
        if (catalina == null) {
            return null;
        }
        Object grizzly = catalina.getClass().getMethod("getCoyoteResponse").invoke(catalina);
        return grizzly == null ? null : grizzly.getClass().getMethod("getOutputBuffer").invoke(grizzly);
    }

    private void unavailable(Object response, String why) {
        warning.warn(() -> "ROWCAST-067: cannot shrink the write buffer of " + response.getClass().getName()
                + " (" + why + "); each WebSocket message may cost the container a buffer of its default size "
                + "(8 KB on Payara). Delivery is correct, only more garbage. Fix: none needed; set "
                + "rowcast.outbound.smallWriteBuffer to false to silence this.");
    }
}
