package dev.rowcast.impl.dispatch;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ChangeSink;
import dev.rowcast.impl.bridge.ChangeSize;
import dev.rowcast.impl.bridge.LostChanges;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.visibility.Visibility;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.StreamId;

/**
 * The one thread that owns every stream. Committed transactions, subscribes, unsubscribes and disconnects are
 * queued to it and run one at a time, so positions, replay and snapshots need no locks and see one order.
 * <p>
 * Transactions are released in ticket (commit) order by the {@link TicketSequencer}; each change then goes to the
 * application's {@code @Reactive EntityChange} observers and to its streams through the {@link StreamPublisher}.
 * Plain Java: the boot package builds it from CDI beans and settings.
 * <p>
 * Nothing stops it: every unit of work (a task, a change, an observer call, a stream, a subscriber) catches
 * whatever it throws, Errors included, and only that unit is lost; a stream or subscriber that lost something is
 * reset or resynced, never left silently stale. The queue is bounded in bytes; what does not fit is refused in a way
 * the client sees. {@link #watch} notices a stuck or dead thread, and replaces a dead one.
 */
public final class ChangeDispatcher implements ChangeSink {

    /** Logged at SEVERE when a unit of work runs longer than the bound; stable, for alerts. */
    public static final String STUCK = "ROWCAST-053: dispatch engine stuck";
    /** Logged at SEVERE when the dispatch thread has died; stable, for alerts. */
    public static final String DIED = "ROWCAST-054: dispatch engine died";

    private static final Logger LOG = Logger.getLogger(ChangeDispatcher.class.getName());
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Tasks run back to back before the loop's bookkeeping; bounded so batch windows and expiries stay timely. */
    private static final int DRAIN_BATCH = 256;
    private static final long LOSS_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Estimated bytes of a queued task besides its changes: the task, its lambda, a ticket. */
    private static final long TASK_BYTES = 128;
    private static final long SUBSCRIBE_BYTES = 512;

    private final DispatchQueue queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lossLoggedNanos = new AtomicLong(System.nanoTime() - LOSS_LOG_INTERVAL_NANOS);
    private final Consumer<EntityChange> observers;
    private final long stopWaitMillis;
    private final long ticketTimeoutNanos;
    private final long stuckNanos;
    private final long maxTransactionBytes;
    private final int maxLostStreams;
    private TicketSequencer<Committed> sequencer;
    private final RowcastMetrics metrics;
    private final Repairs repairs;
    private final StreamPublisher publisher;
    private final SubscriptionManager subscriptions;
    private final SubscriptionRegistry registry;
    private final ReleaseWaiters releaseWaiters = new ReleaseWaiters();
    private final ThreadFactory threads;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean started;
    /** When the current unit of work started (0: idle); the watchdog judges it. */
    private volatile long unitStartedNanos;
    private long stuckReported;
    private volatile int restarts;
    /** Set when the thread was replaced: whatever it was doing is lost, so every followed stream resyncs. */
    private volatile boolean resetFollowed;

    /** A transaction's changes and when it committed ({@link System#nanoTime}), for the lag. */
    private record Committed(List<CapturedChange> changes, long nanos) {
    }

    /**
     * @param applicationStore the application's replay store, or empty for the in-memory one
     * @param observers the application's {@code @Reactive EntityChange} observers, or {@code null} when none can
     *        receive the event (then it is not fired at all)
     * @param threads makes the dispatch thread
     * @param snapshotReaders reads snapshots off the dispatch thread
     */
    public ChangeDispatcher(RowcastSettings settings, Optional<ReplayStore> applicationStore,
            List<RowFilter> rowFilters, Consumer<EntityChange> observers, ThreadFactory threads,
            Executor snapshotReaders) {
        this(settings, applicationStore, rowFilters, observers, threads, snapshotReaders, RowcastMetrics.local());
    }

    /** @param metrics where the engine counts what it does */
    public ChangeDispatcher(RowcastSettings settings, Optional<ReplayStore> applicationStore,
            List<RowFilter> rowFilters, Consumer<EntityChange> observers, ThreadFactory threads,
            Executor snapshotReaders, RowcastMetrics metrics) {
        this.metrics = metrics;
        RowcastSettings.EngineLimits limits = settings.engine();
        this.queue = DispatchQueue.of(settings);
        this.observers = observers;
        this.stopWaitMillis = settings.shutdownFlushMillis();
        this.threads = threads;
        this.stuckNanos = TimeUnit.MILLISECONDS.toNanos(limits.stuckMillis());
        this.maxTransactionBytes = limits.captureMaxTransactionBytes();
        this.maxLostStreams = limits.maxLostStreams();
        this.repairs = new Repairs(limits.maxLostStreams());
        SubscriptionRegistry registry = new SubscriptionRegistry(metrics);
        ReplayStore memory = new MemoryReplayStore(settings.replayFramesPerStream(), settings.replayMaxStreams(),
                limits.replayMaxBytesPerStream(), limits.replayMaxBytes(), stream -> !registry.of(stream).isEmpty());
        ReplayStore store = applicationStore.map(given -> given instanceof PositionedReplayStore shared
                ? new RoutingReplayStore(shared, memory) : given).orElse(memory);
        Visibility visibility = new Visibility(rowFilters);
        this.ticketTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.ticketTimeoutMillis());
        // a batch goes out at a quarter of a socket's bound: within the send window, never an oversized frame
        this.publisher = new StreamPublisher(registry, store, visibility, repairs, settings.maxQueuedBytes() / 4,
                metrics);
        SubscriptionManager.Tasks tasks = new SubscriptionManager.Tasks() {
            @Override
            public boolean offer(long bytes, Runnable work) {
                return queue.offer(bytes, 0, work);
            }

            @Override
            public void force(long bytes, Runnable work) {
                queue.force(bytes, work);
            }
        };
        this.subscriptions = new SubscriptionManager(registry, store, settings.maxSubscriptionsPerConnection(),
                snapshotReaders, tasks, () -> sequencer.releasedThrough(), visibility, publisher::flush, metrics);
        metrics.queue(queue::size, queue::bytes);
        this.registry = registry;
    }

    /** Starts the dispatch thread and starts taking committed transactions. Once. */
    public synchronized void start() {
        if (started) {
            return;
        }
        LOG.info(() -> "Rowcast: observers of @Reactive EntityChange: " + (observers != null
                ? "found; the event is fired for every committed change" : "none; the event is not fired"));
        // installed before the first ticket is read: every ticket from it on completes here, none is lost between
        CaptureBridge.install(this);
        sequencer = new TicketSequencer<>(CaptureBridge.ticketsTaken() + 1, ticketTimeoutNanos);
        running = true;
        Thread dispatch = newThread();
        thread = dispatch;
        started = true;
        dispatch.start();
    }

    private Thread newThread() {
        Thread dispatch = threads.newThread(this::run);
        dispatch.setName("rowcast-dispatch");
        dispatch.setDaemon(true);
        return dispatch;
    }

    /** Delivers what is queued, within a bound, then stops. */
    public synchronized void stop() {
        Thread running = thread;
        if (running == null || !this.running) {
            return;
        }
        this.running = false;
        CaptureBridge.uninstall(this);
        // woken by a task, not interrupted: an interrupt during a send would close that socket without a 1001
        queue.force(0, () -> {
        });
        try {
            running.join(Math.max(1, stopWaitMillis)); // join(0) would wait for ever
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- health ---

    /** The engine's state now, computed from the thread and the current unit of work; cheap, any thread. */
    public EngineHealth health() {
        EngineHealth.State state;
        long stuckFor = 0;
        Thread current = thread;
        long unit = unitStartedNanos;
        if (!started) {
            state = EngineHealth.State.STARTING;
        } else if (!running) {
            state = EngineHealth.State.STOPPED;
        } else if (current == null || !current.isAlive()) {
            state = EngineHealth.State.DEAD;
        } else if (unit != 0 && System.nanoTime() - unit > stuckNanos) {
            state = EngineHealth.State.STUCK;
            stuckFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unit);
        } else {
            state = EngineHealth.State.RUNNING;
        }
        return new EngineHealth(state, stuckFor, queue.size(), queue.bytes(), dropped.get(), restarts);
    }

    /**
     * The watchdog, called every so often from another thread: logs a stuck unit of work once (with the thread's
     * stack) and when it ends; replaces a dead dispatch thread. A stuck one is left alone: its unit still owns the
     * engine's state, so a second thread would corrupt it.
     */
    public synchronized void watch() {
        if (!started || !running) {
            return;
        }
        Thread current = thread;
        if (current == null || !current.isAlive()) {
            LOG.severe(DIED + "; starting a new dispatch thread. Every followed stream resyncs.");
            restart();
            return;
        }
        long unit = unitStartedNanos;
        long now = System.nanoTime();
        if (unit != 0 && now - unit > stuckNanos) {
            if (stuckReported != unit) {
                stuckReported = unit;
                String stack = Arrays.stream(current.getStackTrace()).map(e -> "\tat " + e)
                        .collect(Collectors.joining("\n"));
                LOG.severe(STUCK + ": one unit of work has run for " + TimeUnit.NANOSECONDS.toMillis(now - unit)
                        + " ms (" + RowcastSettings.DISPATCH_STUCK_MILLIS + " is "
                        + TimeUnit.NANOSECONDS.toMillis(stuckNanos) + "); nothing is delivered until it returns. "
                        + "Dispatch thread:\n" + stack);
            }
        } else if (stuckReported != 0) {
            long stuckFor = TimeUnit.NANOSECONDS.toMillis(now - stuckReported);
            stuckReported = 0;
            LOG.warning(() -> "ROWCAST-006: dispatch engine running again, after a unit of work of about " + stuckFor
                    + " ms");
        }
    }

    private void restart() {
        try {
            Thread next = newThread();
            restarts++;
            unitStartedNanos = 0;
            resetFollowed = true;
            thread = next;
            next.start();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, DIED + "; no new dispatch thread could be made", e);
        }
    }

    /**
     * Every followed stream resyncs (replay_unavailable, then a snapshot) before the next task: the source of
     * changes lost some it cannot name, such as a shared log that was cut.
     */
    public void resyncFollowed() {
        resetFollowed = true;
        queue.force(0, () -> {
        });
    }

    // --- the committing threads' side ---

    @Override
    public long maxTransactionBytes() {
        return maxTransactionBytes;
    }

    @Override
    public int maxLostStreams() {
        return maxLostStreams;
    }

    /** Called on the committing thread: enqueue and return. */
    @Override
    public void complete(long ticket, List<CapturedChange> changes, LostChanges lostInCapture) {
        complete(ticket, changes, ChangeSize.of(changes), lostInCapture);
    }

    /** One queued task per transaction, however many rows it changed. */
    @Override
    public void complete(long ticket, List<CapturedChange> changes, long bytes, LostChanges lostInCapture) {
        if (lostInCapture != null && !lostInCapture.isEmpty()) {
            long count = lostInCapture.changes();
            String why = lostInCapture.reason();
            repairs.lost.addAll(lostInCapture);
            noteLoss(count, why != null ? why
                    : "a transaction's changes passed " + RowcastSettings.CAPTURE_MAX_TRANSACTION_BYTES);
        }
        if (!changes.isEmpty()) {
            Committed committed = new Committed(changes, System.nanoTime());
            if (queue.offer(TASK_BYTES + bytes, changes.size(), () -> onCompleted(ticket, committed))) {
                return;
            }
            changes.forEach(repairs.lost::add);
            noteLoss(changes.size(), "the dispatch queue is full (" + RowcastSettings.DISPATCH_QUEUE_CAPACITY + ", "
                    + RowcastSettings.DISPATCH_MAX_QUEUED_BYTES + ")");
        }
        // the ticket must still complete, or later transactions would wait for it
        if (!queue.offerTicket(TASK_BYTES, () -> onCompleted(ticket, new Committed(List.of(), 0)))) {
            noteLoss(0, "the dispatch queue is full even for a transaction's ticket; later transactions wait up to "
                    + RowcastSettings.TICKET_TIMEOUT_MILLIS + " for it");
        }
    }

    private void noteLoss(long changes, String why) {
        long total = dropped.addAndGet(changes);
        metrics.dropped(changes);
        long now = System.nanoTime();
        long last = lossLoggedNanos.get();
        if (now - last >= LOSS_LOG_INTERVAL_NANOS && lossLoggedNanos.compareAndSet(last, now)) {
            LOG.severe(() -> "ROWCAST-007: committed changes dropped (" + total + " so far): " + why + ". Their streams "
                    + "are reset and subscribers resync with replay_unavailable and a snapshot. Raise the bound or "
                    + "find the slow @Reactive EntityChange observer.");
        }
    }

    // --- the sockets' side ---

    /**
     * Queues a subscribe for the dispatch thread.
     *
     * @return completes once its reply was handed to the socket (or the subscribe was refused), so that the socket's
     *         next request cannot overtake it
     */
    public CompletionStage<Void> subscribe(Subscriber subscriber, StreamId stream, ReactiveEntityModel model,
            JsonValue id, Position from) {
        long bytes = SUBSCRIBE_BYTES + idBytes(id) + ChangeSize.value(stream.value())
                + (from == null ? 0 : ChangeSize.value(from.epoch()));
        CompletableFuture<Void> replied = new CompletableFuture<>();
        if (!queue.offer(bytes, 0, () -> completing(replied,
                () -> subscriptions.subscribe(subscriber, stream, model, id, from)))) {
            metrics.error(ErrorCode.RATE_LIMITED.wireName());
            subscriber.send(Frames.error(ErrorCode.RATE_LIMITED, "The server is busy; subscribe again in a moment.",
                    id));
            replied.complete(null);
        }
        return replied;
    }

    /** Queues an unsubscribe; the stage completes as {@link #subscribe}'s does. */
    public CompletionStage<Void> unsubscribe(Subscriber subscriber, StreamId stream, JsonValue id) {
        CompletableFuture<Void> replied = new CompletableFuture<>();
        if (!queue.offer(SUBSCRIBE_BYTES + idBytes(id) + ChangeSize.value(stream.value()), 0,
                () -> completing(replied, () -> subscriptions.unsubscribe(subscriber, stream, id)))) {
            metrics.error(ErrorCode.RATE_LIMITED.wireName());
            subscriber.send(Frames.error(ErrorCode.RATE_LIMITED, "The server is busy; unsubscribe again in a moment.",
                    id));
            replied.complete(null);
        }
        return replied;
    }

    /** Runs the work and completes the stage whatever happens, or the socket's later requests would wait for ever. */
    private static void completing(CompletableFuture<Void> done, Runnable work) {
        try {
            work.run();
        } finally {
            done.complete(null);
        }
    }

    /** Never refused: one per socket, and without it the socket's subscriptions would stay for ever. */
    public void disconnect(Subscriber subscriber) {
        queue.force(TASK_BYTES, () -> subscriptions.disconnect(subscriber));
    }

    /** Ends one subscription that lost its right; its socket gets a {@code revoked} error. Never refused. */
    public void revoke(Subscriber subscriber, StreamId stream) {
        queue.force(TASK_BYTES, () -> subscriptions.revoke(subscriber, stream));
    }

    /** Ends the named caller's subscriptions to a stream, on every socket. Never refused. */
    public void revoke(String user, StreamId stream) {
        queue.force(TASK_BYTES, () -> subscriptions.subscriptionsOf(user).stream()
                .filter(subscribed -> subscribed.stream().equals(stream))
                .forEach(subscribed -> subscriptions.revoke(subscribed.subscriber(), stream)));
    }

    /** The named caller's subscriptions, as the dispatch thread sees them once the tasks before this one ran. */
    public CompletableFuture<List<Subscribed>> subscriptionsOf(String user) {
        CompletableFuture<List<Subscribed>> found = new CompletableFuture<>();
        queue.force(TASK_BYTES, () -> found.complete(subscriptions.subscriptionsOf(user)));
        return found;
    }

    /**
     * Publishes a change Rowcast makes itself (not a transaction: no ticket, no observers), such as the admin page's
     * figures, on the dispatch thread and only while someone follows {@code stream}. Dropped when the queue is full.
     *
     * @param change built on the dispatch thread, so it costs nothing while nobody follows
     */
    public void publishInternal(StreamId stream, java.util.function.Supplier<CapturedChange> change) {
        queue.offer(TASK_BYTES, 0, () -> {
            if (!registry.of(stream).isEmpty()) {
                publisher.publish(change.get(), 0);
            }
        });
    }

    private static long idBytes(JsonValue id) {
        return id instanceof JsonString text ? ChangeSize.value(text.getString()) : 32;
    }

    // --- for clients that talk back (impl.talk, impl.proposal) ---

    /** Who is told when sockets join and leave streams. Before {@link #start()}. */
    public void streamMembers(StreamMembers members) {
        registry.members(members);
    }

    /**
     * Runs the action on the dispatch thread once every transaction that took its ticket before this call has been
     * released to the streams, so a frame it sends follows the changes those transactions caused. Never blocks.
     */
    public void afterCommitted(Runnable action) {
        long ticket = CaptureBridge.ticketsTaken();
        queue.force(TASK_BYTES, () -> releaseWaiters.add(ticket, action, sequencer.releasedThrough()));
    }

    // --- the dispatch thread ---

    private void run() {
        Thread self = Thread.currentThread();
        while (running && thread == self) {
            try {
                long deadline = publisher.nextDeadlineNanos();
                // MAX_VALUE means no batch is open; subtracting from it could overflow
                long wait = deadline == Long.MAX_VALUE ? MAX_IDLE_NANOS
                        : Math.max(0, Math.min(deadline - System.nanoTime(), MAX_IDLE_NANOS));
                DispatchQueue.Task task;
                try {
                    task = queue.poll(wait);
                } catch (InterruptedException e) {
                    // stop() never interrupts; a plug-in did: the flag is cleared, the engine goes on
                    LOG.warning("ROWCAST-008: the dispatch thread was interrupted; ignored");
                    continue;
                }
                // what queued meanwhile runs before the bookkeeping below, which then runs once per batch, not once
                // per commit; a committing thread only wakes this one when it sleeps, and once out of work it lingers
                // (rowcast.dispatch.batchWaitMicros, lingerWindowMicros), so under load nobody wakes it. Losses are
                // repaired before every task: no change committed after a lost one may reach a client first
                repair();
                for (int drained = 0; task != null; task = ++drained < DRAIN_BATCH ? queue.poll() : null) {
                    unit(task.work());
                    repair();
                }
                unit(() -> publisher.flushDue(System.nanoTime()));
                unit(() -> sequencer.expire(System.nanoTime(), subscriptions.awaitedTicket(), this::release));
                unit(() -> subscriptions.released(sequencer.releasedThrough()));
                unit(subscriptions::retryAhead);
                unit(() -> releaseWaiters.released(sequencer.releasedThrough()));
                repair();
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "ROWCAST-009: the dispatch loop failed; it goes on", e);
            }
        }
        if (thread != self) {
            return; // replaced by the watchdog after it looked dead: the new thread owns the state
        }
        // stopping: deliver what was committed before the stop
        for (DispatchQueue.Task rest = queue.poll(); rest != null; rest = queue.poll()) {
            unit(rest.work());
        }
        unit(() -> publisher.flushDue(Long.MAX_VALUE));
    }

    /** One unit of work: whatever it throws is logged and costs only this unit. */
    private void unit(Runnable work) {
        unitStartedNanos = System.nanoTime() | 1; // never 0, which means idle
        try {
            work.run();
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "ROWCAST-010: a unit of dispatch work failed; delivery goes on", e);
        } finally {
            unitStartedNanos = 0;
            if (Thread.interrupted()) {
                // a plug-in interrupted us; left set, it would break the next wait or socket send
                LOG.warning("ROWCAST-011: a plug-in left the dispatch thread interrupted; the flag is cleared");
            }
        }
    }

    /** Streams that lost changes are reset, and subscriptions that missed one resync, before the next task. */
    private void repair() {
        if (resetFollowed) {
            resetFollowed = false;
            unit(subscriptions::resetFollowed);
        }
        if (repairs.isEmpty()) {
            return;
        }
        LostChanges lost = repairs.lost.drain();
        for (String channel : lost.channels()) {
            unit(() -> subscriptions.resetChannel(channel));
        }
        for (StreamId stream : lost.streams()) {
            unit(() -> subscriptions.resetStream(stream));
        }
        for (Subscription subscription : repairs.takeBroken()) {
            unit(() -> subscriptions.resyncOrDrop(subscription));
        }
    }

    private void onCompleted(long ticket, Committed changes) {
        sequencer.complete(ticket, changes, System.nanoTime(), this::release);
        subscriptions.released(sequencer.releasedThrough());
        releaseWaiters.released(sequencer.releasedThrough());
    }

    private void release(Committed committed) {
        for (CapturedChange captured : committed.changes()) {
            unitStartedNanos = System.nanoTime() | 1; // each change is a unit for the watchdog
            if (observers != null) {
                try {
                    observers.accept(captured.change());
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "ROWCAST-012: an @Reactive EntityChange observer failed for "
                            + captured.change(), e);
                }
                if (Thread.interrupted()) {
                    LOG.warning("ROWCAST-013: an @Reactive EntityChange observer interrupted the dispatch thread; the "
                            + "flag is cleared");
                }
            }
            try {
                publisher.publish(captured, committed.nanos());
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "ROWCAST-014: publishing " + captured.change() + " failed; its streams are reset",
                        e);
                repairs.lost.add(captured);
            }
        }
    }
}
