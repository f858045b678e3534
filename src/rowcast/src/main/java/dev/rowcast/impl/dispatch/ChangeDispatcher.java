package dev.rowcast.impl.dispatch;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonValue;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ChangeSink;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.model.ReactiveEntityModel;
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
 */
public final class ChangeDispatcher implements ChangeSink {

    private static final Logger LOG = Logger.getLogger(ChangeDispatcher.class.getName());
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedChanges = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final int capacity;
    private final Consumer<EntityChange> observers;
    private final long stopWaitMillis;
    private final long ticketTimeoutNanos;
    private TicketSequencer<List<CapturedChange>> sequencer;
    private final StreamPublisher publisher;
    private final SubscriptionManager subscriptions;
    private final SubscriptionRegistry registry;
    private final ReleaseWaiters releaseWaiters = new ReleaseWaiters();
    private final ThreadFactory threads;
    private volatile Thread thread;
    private boolean started;

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
        this.capacity = settings.dispatchQueueCapacity();
        this.observers = observers;
        this.stopWaitMillis = settings.shutdownFlushMillis();
        this.threads = threads;
        SubscriptionRegistry registry = new SubscriptionRegistry();
        this.registry = registry;
        ReplayStore store = applicationStore.orElseGet(() -> new MemoryReplayStore(settings.replayFramesPerStream(),
                settings.replayMaxStreams(), stream -> !registry.of(stream).isEmpty()));
        Visibility visibility = new Visibility(rowFilters);
        this.ticketTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.ticketTimeoutMillis());
        this.publisher = new StreamPublisher(registry, store, visibility);
        this.subscriptions = new SubscriptionManager(registry, store, settings.maxSubscriptionsPerConnection(),
                snapshotReaders, tasks::add, () -> sequencer.releasedThrough(), visibility);
    }

    /** Starts the dispatch thread and starts taking committed transactions. Once. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        LOG.info(() -> "Rowcast: observers of @Reactive EntityChange: " + (observers != null
                ? "found; the event is fired for every committed change" : "none; the event is not fired"));
        // installed before the first ticket is read: every ticket from it on completes here, none is lost between
        CaptureBridge.install(this);
        sequencer = new TicketSequencer<>(CaptureBridge.ticketsTaken() + 1, ticketTimeoutNanos);
        Thread dispatch = threads.newThread(this::run);
        dispatch.setName("rowcast-dispatch");
        dispatch.setDaemon(true);
        thread = dispatch;
        dispatch.start();
    }

    /** Delivers what is queued, within a bound, then stops. */
    public synchronized void stop() {
        Thread running = thread;
        if (running == null) {
            return;
        }
        thread = null;
        CaptureBridge.uninstall(this);
        // woken by a task, not interrupted: an interrupt during a send would close that socket without a 1001
        tasks.add(() -> {
        });
        try {
            running.join(Math.max(1, stopWaitMillis)); // join(0) would wait for ever
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called on the committing thread: enqueue and return. */
    @Override
    public void complete(long ticket, List<CapturedChange> changes) {
        List<CapturedChange> accepted = changes;
        if (!changes.isEmpty() && queuedChanges.addAndGet(changes.size()) > capacity) {
            queuedChanges.addAndGet(-changes.size());
            accepted = List.of(); // the ticket must still complete, or later transactions would wait for it
            long count = dropped.addAndGet(changes.size());
            LOG.severe(() -> "Rowcast: dispatch queue full; dropped " + count + " change(s) so far. Raise "
                    + RowcastSettings.DISPATCH_QUEUE_CAPACITY + " or find the slow @Reactive EntityChange observer.");
        }
        List<CapturedChange> released = accepted;
        tasks.add(() -> onCompleted(ticket, released));
    }

    public void subscribe(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue id,
            Position from) {
        tasks.add(() -> subscriptions.subscribe(subscriber, stream, model, id, from));
    }

    public void unsubscribe(Subscriber subscriber, StreamId stream, JsonValue id) {
        tasks.add(() -> subscriptions.unsubscribe(subscriber, stream, id));
    }

    public void disconnect(Subscriber subscriber) {
        tasks.add(() -> subscriptions.disconnect(subscriber));
    }

    /** Ends one subscription that lost its right; its socket gets a {@code revoked} error. */
    public void revoke(Subscriber subscriber, StreamId stream) {
        tasks.add(() -> subscriptions.revoke(subscriber, stream));
    }

    /** Ends the named caller's subscriptions to a stream, on every socket. */
    public void revoke(String user, StreamId stream) {
        tasks.add(() -> subscriptions.subscriptionsOf(user).stream()
                .filter(subscribed -> subscribed.stream().equals(stream))
                .forEach(subscribed -> subscriptions.revoke(subscribed.subscriber(), stream)));
    }

    /** The named caller's subscriptions, as the dispatch thread sees them once the tasks before this one ran. */
    public CompletableFuture<List<Subscribed>> subscriptionsOf(String user) {
        CompletableFuture<List<Subscribed>> found = new CompletableFuture<>();
        tasks.add(() -> found.complete(subscriptions.subscriptionsOf(user)));
        return found;
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
        tasks.add(() -> releaseWaiters.add(ticket, action, sequencer.releasedThrough()));
    }

    private void run() {
        while (thread != null) {
            try {
                long deadline = publisher.nextDeadlineNanos();
                // MAX_VALUE means no batch is open; subtracting from it could overflow
                long wait = deadline == Long.MAX_VALUE ? MAX_IDLE_NANOS
                        : Math.max(0, Math.min(deadline - System.nanoTime(), MAX_IDLE_NANOS));
                Runnable task = tasks.poll(wait, TimeUnit.NANOSECONDS);
                if (task != null) {
                    runSafely(task);
                }
                publisher.flushDue(System.nanoTime());
                sequencer.expire(System.nanoTime(), subscriptions.awaitedTicket(), this::release);
                subscriptions.released(sequencer.releasedThrough());
                releaseWaiters.released(sequencer.releasedThrough());
            } catch (InterruptedException e) {
                break;
            }
        }
        // stopping: deliver what was committed before the stop
        for (Runnable rest = tasks.poll(); rest != null; rest = tasks.poll()) {
            runSafely(rest);
        }
        publisher.flushDue(Long.MAX_VALUE);
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Rowcast: dispatch task failed", e);
        }
    }

    private void onCompleted(long ticket, List<CapturedChange> changes) {
        queuedChanges.addAndGet(-changes.size());
        sequencer.complete(ticket, changes, System.nanoTime(), this::release);
        subscriptions.released(sequencer.releasedThrough());
        releaseWaiters.released(sequencer.releasedThrough());
    }

    private void release(List<CapturedChange> changes) {
        for (CapturedChange captured : changes) {
            try {
                if (observers != null) {
                    observers.accept(captured.change());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Rowcast: an @Reactive EntityChange observer failed for "
                        + captured.change(), e);
            }
            publisher.publish(captured);
        }
    }
}
