package dev.rowcast.impl.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import dev.rowcast.impl.dispatch.Subscriber;
import dev.rowcast.impl.security.ConnectionIdentity;

/**
 * One client socket and its outbound queue. At most one asynchronous send is in flight per socket, so frames keep
 * their order, a slow socket only delays itself, and no sending thread ever waits on a client. The queue is bounded
 * in bytes: a client that falls that far behind is closed with 4499 instead of growing the heap.
 */
public final class ClientConnection implements Subscriber {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    /** No send in flight. */
    private static final int IDLE = 0;
    /** {@code sendText} was called and has not returned; its completion has not run. */
    private static final int SENDING = 1;
    /** The completion ran before {@code sendText} returned: the pumping thread goes on. */
    private static final int COMPLETED_EARLY = 2;
    /** {@code sendText} returned first: the completion pumps the next frame. */
    private static final int RETURNED = 3;

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final ConnectionIdentity identity;
    private final long maxQueuedBytes;
    private final Queue<String> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger phase = new AtomicInteger(IDLE);
    private final SendHandler onSent = this::onSent;
    private final RateLimiter inbound;
    private volatile String inFlight;
    private volatile long lastPongNanos = System.nanoTime();
    private volatile long pingSentNanos;

    ClientConnection(Session session, ConnectionIdentity identity, long maxQueuedBytes, RateLimiter inbound) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.identity = identity;
        this.maxQueuedBytes = maxQueuedBytes;
        this.inbound = inbound;
    }

    @Override
    public ConnectionIdentity viewer() {
        return identity;
    }

    RateLimiter inbound() {
        return inbound;
    }

    /** Queues a frame and starts sending if nothing is in flight. Never blocks. */
    @Override
    public void send(String frame) {
        if (closing.get()) {
            return;
        }
        // chars, not UTF-8 bytes: the same for the ASCII bulk of JSON, and free to count
        if (queuedBytes.addAndGet(frame.length()) > maxQueuedBytes) {
            LOG.info(() -> "Rowcast: closing " + this + " with 4499: more than " + maxQueuedBytes
                    + " bytes waited to be sent");
            close(CloseCodes.reason(CloseCodes.FELL_BEHIND, "fell behind"));
            return;
        }
        outbound.add(frame);
        if (pumping.compareAndSet(false, true)) {
            pump();
        }
    }

    /** Sends queued frames one at a time. Only the thread that set {@code pumping} runs this. */
    private void pump() {
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        // Payara re-arms Tyrus's idle timer on every send and scans the context class loader for that; the
        // application's loader makes the scan cost file lookups (see ../shared/PLATFORM.md, "the WebSocket send path")
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            while (true) {
                String frame = outbound.poll();
                if (frame == null) {
                    pumping.set(false);
                    // a frame queued after poll() but before set(false) would otherwise wait for the next send
                    if (outbound.isEmpty() || !pumping.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                phase.set(SENDING);
                inFlight = frame;
                if (!startSend(frame)) {
                    continue;
                }
                if (phase.compareAndSet(SENDING, RETURNED)) {
                    return; // the completion handler continues the pump
                }
                // the completion already ran on this thread or another: keep going here, without recursion
            }
        } finally {
            thread.setContextClassLoader(callerLoader);
        }
    }

    private boolean startSend(String frame) {
        try {
            remote.sendText(frame, onSent);
            return true;
        } catch (RuntimeException e) {
            // the socket closed under us; drop what is queued, the close handler cleans up
            LOG.log(Level.FINE, "Rowcast: send failed, dropping queued frames", e);
            drop();
            return false;
        }
    }

    private void onSent(SendResult result) {
        String sent = inFlight;
        if (sent != null) {
            queuedBytes.addAndGet(-sent.length());
        }
        if (!result.isOK()) {
            LOG.log(Level.FINE, "Rowcast: send failed, closing", result.getException());
            close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send failed"));
        }
        if (!phase.compareAndSet(SENDING, COMPLETED_EARLY)) {
            pump(); // sendText had returned; this thread takes over
        }
    }

    /** Whether every queued frame has been handed to the transport. */
    boolean isDrained() {
        return outbound.isEmpty() && !pumping.get();
    }

    // --- heartbeats ---

    /** Sends a WebSocket ping unless one is already waiting for its pong. */
    void ping() {
        if (pingSentNanos != 0 || closing.get()) {
            return;
        }
        pingSentNanos = System.nanoTime();
        try {
            remote.sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: ping failed", e);
        }
    }

    void ponged() {
        lastPongNanos = System.nanoTime();
        pingSentNanos = 0;
    }

    /** A ping has waited longer than the timeout for its pong. */
    boolean pongOverdue(long nowNanos, long timeoutNanos) {
        long sent = pingSentNanos;
        return sent != 0 && nowNanos - sent > timeoutNanos;
    }

    // --- closing ---

    /** Closes once: drops what is queued and tells the client why. */
    void close(CloseReason reason) {
        if (closing.compareAndSet(false, true)) {
            drop();
            closeQuietly(reason);
        }
    }

    private void drop() {
        outbound.clear();
        queuedBytes.set(0);
    }

    private void closeQuietly(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: close failed", e);
        }
    }

    @Override
    public String toString() {
        return "ClientConnection[" + session.getId() + " " + identity + "]";
    }
}
