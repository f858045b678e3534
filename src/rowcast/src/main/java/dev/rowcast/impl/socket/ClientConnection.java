package dev.rowcast.impl.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import dev.rowcast.impl.dispatch.Subscriber;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.protocol.CloseCodes;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.impl.security.ConnectionIdentity;

/**
 * One client socket and its outbound queue. Messages are handed to the container one at a time, the next once the
 * container took the last, so frames keep their order, a slow socket only delays itself, and no sending thread ever
 * waits on a client. (A pre-framed write counts as taken at once; what the container then queues is bounded by the
 * window below.)
 * <p>
 * What the client has not yet read is bounded in bytes ({@code maxQueuedBytes}), and a client that falls that far
 * behind is closed with 4499 instead of growing the heap. The container completes a send as soon as its own write
 * queue takes the frame, so completions prove nothing about the client. A pong does: it comes back only after the
 * client has read everything sent before its ping. So each ping carries the count of bytes handed over before it,
 * and its pong acknowledges them. At most half the bound goes to the container unacknowledged (the window); the
 * rest waits here, and a pong that moves the window on resumes sending.
 * <p>
 * Events held for the socket while its snapshot is read count against the same bound ({@link #reserve}). One frame
 * larger than half the bound may pass it at a time (a big snapshot or batch), until the client acknowledges it: else
 * such a frame would close the socket every time, and the client would reconnect into the same frame.
 * <p>
 * Catch-up has its own budget per socket ({@link #allowCatchUp}): replayed events and snapshot reads per second.
 * <p>
 * The pump runs on a {@link Senders} thread, not on the caller's. When a client negotiated {@code rowcast.v2} and
 * several frames are queued when the pump takes the next one, they go out as one {@code frames} message: the
 * container's cost per message (idle-timer re-arm, framing, one {@code write}) is then paid once per batch. A frame
 * queued to an idle socket still goes out alone and at once (docs/protocol.md, "Coalesced frames").
 */
final class ClientConnection implements Subscriber {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    static final int DEFAULT_PENDING_REQUESTS = 1_000;
    static final long DEFAULT_PENDING_BYTES = 1024 * 1024;
    /** No send in flight. */
    private static final int IDLE = 0;
    /** {@code sendText} was called and has not returned; its completion has not run. */
    private static final int SENDING = 1;
    /** The completion ran before {@code sendText} returned: the pumping thread goes on. */
    private static final int COMPLETED_EARLY = 2;
    /** {@code sendText} returned first: the completion pumps the next frame. */
    private static final int RETURNED = 3;
    /** How long a client must have sent nothing before a close for a violation goes out. */
    static final Duration QUIET = Duration.ofMillis(200);
    /** The longest such a close waits for quiet: a client that never stops is cut anyway. */
    static final Duration LINGER = Duration.ofSeconds(3);

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final ConnectionIdentity identity;
    private final long maxQueuedBytes;
    private final Queue<OutboundFrame> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Bytes the container took from us, and the part of them the client has shown it read. */
    private final AtomicLong handedBytes = new AtomicLong();
    private volatile long ackedBytes;
    private volatile long pingOffset = -1;
    private final AtomicBoolean pumping = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger phase = new AtomicInteger(IDLE);
    private final SendHandler onSent = this::onSent;
    private final RateLimiter inbound;
    /** Bytes kept for this socket outside the queue: events held while its snapshot is read. */
    private final AtomicLong reservedBytes = new AtomicLong();
    /** The one frame allowed over the bound, until acknowledged; and the offset its last byte was handed at. */
    private final AtomicReference<OutboundFrame> oversized = new AtomicReference<>();
    private volatile long oversizedEnd = Long.MAX_VALUE;
    private final RateLimiter replayBudget;
    private final RateLimiter snapshotBudget;
    private final RequestChain requests;
    private final AtomicLong pingSentNanos = new AtomicLong();
    /** Set when the socket is to be closed once the client stops sending; its frames are then ignored. */
    private volatile CloseReason closeWhenQuiet;
    private volatile long receivedNanos = System.nanoTime();
    private final RowcastMetrics metrics;
    private final Senders senders;
    private final Outlet outlet;
    /** The most characters sent as one {@code frames} message; 0: every frame is its own message (v1). */
    private final int maxBatchChars;
    private final Runnable pumpTask = this::pumpOnSender;

    /**
     * @param replayBudget replayed events per second, for catch-up
     * @param snapshotBudget snapshot reads per second
     */
    ClientConnection(Session session, ConnectionIdentity identity, long maxQueuedBytes, RateLimiter inbound,
            RateLimiter replayBudget, RateLimiter snapshotBudget) {
        this(session, identity, maxQueuedBytes, inbound, replayBudget, snapshotBudget, RowcastMetrics.local(),
                new SendPath(Senders.inline(), Outlet.of(session.getAsyncRemote()), 0), DEFAULT_PENDING_REQUESTS,
                DEFAULT_PENDING_BYTES);
    }

    /**
     * @param maxPendingRequests requests that may wait for the ones before them ({@link #inOrder})
     * @param maxPendingBytes their estimated bytes
     */
    ClientConnection(Session session, ConnectionIdentity identity, long maxQueuedBytes, RateLimiter inbound,
            RateLimiter replayBudget, RateLimiter snapshotBudget, RowcastMetrics metrics, SendPath path,
            int maxPendingRequests, long maxPendingBytes) {
        this.requests = new RequestChain(this, maxPendingRequests, maxPendingBytes);
        this.metrics = metrics;
        this.senders = path.senders();
        this.outlet = path.outlet();
        this.maxBatchChars = path.maxBatchChars();
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.identity = identity;
        this.maxQueuedBytes = maxQueuedBytes;
        this.inbound = inbound;
        this.replayBudget = replayBudget;
        this.snapshotBudget = snapshotBudget;
    }

    @Override
    public ConnectionIdentity viewer() {
        return identity;
    }

    RateLimiter inbound() {
        return inbound;
    }

    @Override
    public boolean isOpen() {
        return !closing.get();
    }

    /**
     * Runs a request's step after every earlier one of this socket has finished, so an unsubscribe can never
     * overtake the subscribe before it while an authorizer is still deciding, and replies keep the requests' order.
     * A step whose socket closed meanwhile does not run.
     *
     * @param cost the request's estimated bytes while it waits
     * @return false when too many requests wait already: the caller refuses this one at once
     */
    boolean inOrder(long cost, Supplier<? extends CompletionStage<?>> step) {
        return requests.offer(cost, () -> closing.get() ? CompletableFuture.completedFuture(null) : step.get());
    }

    /** The socket closed: whatever it asked for later must not happen. Its queue is dropped. */
    void closed() {
        closing.set(true);
        drop();
    }

    /**
     * Queues a frame and starts sending if nothing is in flight. Never blocks, and never throws: the caller may be
     * the dispatch thread, which serves every socket. A frame that cannot be sent closes this socket with 1011.
     */
    @Override
    public void send(OutboundFrame frame) {
        try {
            queue(frame);
        } catch (Throwable e) {
            sendFailed(e);
        }
    }

    private void queue(OutboundFrame frame) {
        if (closing.get()) {
            return;
        }
        // chars, not UTF-8 bytes: the same for the ASCII bulk of JSON, and free to count
        long unread = queuedBytes.addAndGet(frame.length()) + unacknowledged() + reservedBytes.get()
                - exemptBytes();
        if (unread > maxQueuedBytes && !(frame.length() > window() && oversized.compareAndSet(null, frame))) {
            fellBehind();
            return;
        }
        outbound.add(frame);
        if (pumping.compareAndSet(false, true)) {
            senders.execute(pumpTask);
        }
    }

    /** A pump on a sender thread: nothing it throws may reach the pool. */
    private void pumpOnSender() {
        try {
            pump();
        } catch (Throwable e) {
            pumping.set(false);
            sendFailed(e);
        }
    }

    private void fellBehind() {
        if (!closing.get()) {
            metrics.fellBehind();
        }
        LOG.info(() -> "Rowcast: closing " + this + " with 4499: more than " + maxQueuedBytes
                + " bytes sent to it were not read");
        close(CloseCodes.reason(CloseCodes.FELL_BEHIND, "fell behind"));
    }

    /** The oversized frame's bytes, which do not count against the bound until acknowledged. */
    private long exemptBytes() {
        OutboundFrame frame = oversized.get();
        return frame == null ? 0 : frame.length();
    }

    @Override
    public boolean reserve(long bytes) {
        long unread = reservedBytes.addAndGet(bytes) + queuedBytes.get() + unacknowledged() - exemptBytes();
        if (unread > maxQueuedBytes && !closing.get()) {
            fellBehind();
        }
        return !closing.get();
    }

    @Override
    public void unreserve(long bytes) {
        reservedBytes.addAndGet(-bytes);
    }

    /** Only the dispatch thread asks, so the two budgets need no lock. */
    @Override
    public boolean allowCatchUp(int replayedEvents, int snapshots) {
        long now = System.nanoTime();
        if ((replayedEvents > 0 && !replayBudget.allows(replayedEvents, now))
                || (snapshots > 0 && !snapshotBudget.allows(snapshots, now))) {
            return false;
        }
        replayBudget.take(replayedEvents);
        snapshotBudget.take(snapshots);
        return true;
    }

    /** Sends queued frames one at a time. Only the thread that set {@code pumping} runs this. */
    private void pump() {
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        // Payara re-arms Tyrus's idle timer on every send and scans the context class loader for that; the
        // application's loader makes the scan cost file lookups (docs/architecture.md, "Platform notes")
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        int messages = 0;
        try {
            while (true) {
                if (messages++ == senders.fairShare()) {
                    senders.execute(pumpTask); // still pumping: the other sockets on this thread get their turn
                    return;
                }
                if (unacknowledged() >= window()) {
                    metrics.backpressurePause();
                    ping();
                    pumping.set(false);
                    // a pong that came after the check but before set(false) would otherwise resume nobody
                    if (unacknowledged() >= window() || outbound.isEmpty() || !pumping.compareAndSet(false, true)) {
                        return; // ponged() resumes
                    }
                    continue;
                }
                OutboundFrame frame = outbound.poll();
                if (frame == null) {
                    pumping.set(false);
                    // a frame queued after poll() but before set(false) would otherwise wait for the next send
                    if (outbound.isEmpty() || !pumping.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                phase.set(SENDING);
                queuedBytes.addAndGet(-frame.length());
                OutboundFrame message = frame == oversized.get() ? frame : coalesce(frame);
                // ask for an acknowledgement well before the window is used up; the ping goes after the frame
                long handed = handedBytes.addAndGet(message.length());
                if (frame == oversized.get()) {
                    oversizedEnd = handed; // exempt until a pong acknowledges this far
                }
                boolean ask = handed - ackedBytes > window() / 2;
                if (!startSend(message)) {
                    continue;
                }
                if (ask) {
                    ping();
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

    /**
     * For a v2 client, the frame and those queued behind it (up to {@link #maxBatchChars}, never the oversized one)
     * as one {@code frames} message, in queue order; the frame alone when nothing waits behind it. Frames are JSON
     * objects already, so the message is their concatenation ({@link OutboundFrame#batch}): a pre-framed socket joins
     * their encoded bytes, the standard one their texts.
     */
    private OutboundFrame coalesce(OutboundFrame first) {
        OutboundFrame next = outbound.peek();
        if (maxBatchChars == 0 || next == null || next == oversized.get()
                || OutboundFrame.BATCH_OVERHEAD + first.length() + 1 + next.length() > maxBatchChars) {
            return first;
        }
        List<OutboundFrame> batch = new ArrayList<>();
        batch.add(first);
        int length = OutboundFrame.BATCH_OVERHEAD + first.length();
        while (next != null && next != oversized.get() && length + next.length() + 1 <= maxBatchChars) {
            OutboundFrame taken = outbound.poll(); // only the pump polls: this is next unless close() cleared the queue
            if (taken == null) {
                break;
            }
            queuedBytes.addAndGet(-taken.length());
            batch.add(taken);
            length += taken.length() + 1;
            next = outbound.peek();
        }
        metrics.coalesced(batch.size());
        return OutboundFrame.batch(batch);
    }

    private boolean startSend(OutboundFrame message) {
        try {
            outlet.send(message, onSent);
            return true;
        } catch (IllegalStateException e) {
            // the socket closed under us; drop what is queued, the close handler cleans up
            LOG.log(Level.FINE, "Rowcast: send failed, dropping queued frames", e);
            drop();
            return false;
        } catch (Throwable e) {
            // anything else (Tyrus's encoder throws an Error on text it cannot encode) must not reach our caller
            sendFailed(e);
            return false;
        }
    }

    @Override
    public void sendFailed(Throwable e) {
        LOG.log(Level.WARNING, "ROWCAST-045: sending to " + this + " failed; closing it with 1011", e);
        close(CloseCodes.reason(CloseCodes.SEND_FAILED, "send failed"));
    }

    private long unacknowledged() {
        return handedBytes.get() - ackedBytes;
    }

    private long window() {
        return maxQueuedBytes / 2;
    }

    private void onSent(SendResult result) {
        try {
            if (!result.isOK()) {
                LOG.log(Level.FINE, "Rowcast: send failed, closing", result.getException());
                close(CloseCodes.reason(CloseCodes.SEND_FAILED, "send failed"));
            }
            if (!phase.compareAndSet(SENDING, COMPLETED_EARLY)) {
                senders.execute(pumpTask); // sendText had returned: the pump goes on, on a sender thread
            }
        } catch (Throwable e) {
            sendFailed(e);
        }
    }

    /** Whether every queued frame has been handed to the transport. */
    boolean isDrained() {
        return outbound.isEmpty() && !pumping.get();
    }

    // --- heartbeats ---

    /**
     * Sends a WebSocket ping unless one is already waiting for its pong. Its payload is the count of bytes handed to
     * the container so far; Tyrus's {@code sendPing} does not wait for the write.
     */
    void ping() {
        if (closing.get() || !pingSentNanos.compareAndSet(0, System.nanoTime())) {
            return;
        }
        long offset = handedBytes.get();
        pingOffset = offset;
        try {
            remote.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, offset));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: ping failed", e);
        } catch (Throwable e) {
            sendFailed(e);
        }
    }

    /**
     * A pong that echoes the waiting ping acknowledges the bytes sent before it. Anything else (an unsolicited pong,
     * a forged payload) must not lift the bound, and the caller charges it to the inbound rate.
     *
     * @return whether the pong acknowledged our ping
     */
    boolean ponged(ByteBuffer payload) {
        long expected = pingOffset;
        if (expected < 0 || payload == null || payload.remaining() != Long.BYTES
                || payload.getLong(payload.position()) != expected) {
            return false;
        }
        pingOffset = -1;
        ackedBytes = Math.max(ackedBytes, expected);
        if (ackedBytes >= oversizedEnd) {
            oversizedEnd = Long.MAX_VALUE;
            oversized.set(null); // read: the next big frame may pass
        }
        pingSentNanos.set(0);
        if (!outbound.isEmpty() && !closing.get() && pumping.compareAndSet(false, true)) {
            senders.execute(pumpTask); // the window moved on: resume what waited for it
        }
        return true;
    }

    /** A ping has waited longer than the timeout for its pong. */
    boolean pongOverdue(long nowNanos, long timeoutNanos) {
        long sent = pingSentNanos.get();
        return sent != 0 && nowNanos - sent > timeoutNanos;
    }

    // --- closing ---

    /** A frame came from the client: a close that waits for quiet waits longer. */
    void received() {
        receivedNanos = System.nanoTime();
    }

    boolean isClosingWhenQuiet() {
        return closeWhenQuiet != null;
    }

    /**
     * Closes once the client has stopped sending and what was queued for it has gone out, or after {@link #LINGER}
     * at the latest; meanwhile its frames are read and ignored. Closing the TCP connection while the client's frames
     * are still arriving makes the kernel reset it, and a reset loses the frames the client had not read yet, our
     * close frame among them: the client would see 1006 instead of the close code.
     */
    void closeWhenQuiet(CloseReason reason, ScheduledExecutorService timers) {
        if (closing.get() || closeWhenQuiet != null) {
            return;
        }
        closeWhenQuiet = reason;
        long since = System.nanoTime();
        Runnable check = new Runnable() {
            @Override
            public void run() {
                long now = System.nanoTime();
                if (closing.get()) {
                    return;
                }
                if (now - receivedNanos >= QUIET.toNanos() && isDrained() || now - since >= LINGER.toNanos()) {
                    close(reason);
                } else {
                    schedule(timers, this, reason);
                }
            }
        };
        schedule(timers, check, reason);
    }

    private void schedule(ScheduledExecutorService timers, Runnable check, CloseReason reason) {
        try {
            timers.schedule(check, QUIET.toMillis() / 4, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            close(reason); // shutting down
        }
    }

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
                // before the close frame: the client's answer to it must never be read as a new HTTP request
                LateInputGuard.closing(session);
                session.close(reason);
            }
        } catch (Throwable e) {
            LOG.log(Level.FINE, "Rowcast: close failed", e);
        }
    }

    @Override
    public String toString() {
        return "ClientConnection[" + session.getId() + " " + identity + "]";
    }
}
