package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonValue;

import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.ChangeSize;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.model.SnapshotSource;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.visibility.Visibility;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/**
 * Subscribe, unsubscribe, replay and snapshot, run on the dispatch thread between changes, so a subscription joins
 * its stream at an exact position: what came before is replayed or in the snapshot, what comes after is sent live.
 * <p>
 * A snapshot is read off the dispatch thread. It is sent only once every transaction that took its ticket before
 * the read ended has been released, and the changes held meanwhile are folded in: see {@link SnapshotMerge}.
 * <p>
 * Catch-up costs the socket: replayed events and snapshot reads are charged to its budget
 * ({@link Subscriber#allowCatchUp}), and a subscribe over it gets {@code rate_limited}. A stream that lost changes is
 * reset: its subscribers get an unsolicited {@code replay_unavailable} and resync, as with a stale cursor. A
 * subscription the server cannot keep (its subscribe or its resync failed) ends with {@code subscription_lost}: no
 * subscription ends silently.
 */
final class SubscriptionManager {

    private static final Logger LOG = Logger.getLogger(SubscriptionManager.class.getName());
    /** A snapshot result's task, besides its rows; a failure's. */
    private static final long SNAPSHOT_TASK_BYTES = 256;
    /** About 100 bytes each: 10 MB at most. docs/security.md, "Replay". */
    static final int MAX_REPLAY_GRANTS = 100_000;

    /** Where work for the dispatch thread goes, bounded in bytes. */
    interface Tasks {
        /** False when the dispatch queue is full. */
        boolean offer(long bytes, Runnable work);

        /** Enqueues even past the bound: for small tasks whose loss would leave a subscription hanging. */
        void force(long bytes, Runnable work);
    }

    /**
     * How long a subscribe whose cursor is ahead of this instance (cluster mode: another instance delivered further)
     * waits for this instance to deliver up to it, before it gets {@code replay_unavailable}. Instances deliver the
     * same log milliseconds apart; more means the log reader is behind or Redis is away.
     */
    static final long AHEAD_WAIT_MILLIS = 2_000;
    /** Bounds the memory a flood of forged cursors can hold; past it they are answered at once. */
    static final int MAX_AHEAD = 10_000;

    private record Ahead(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue id,
            Position from, long deadlineNanos) {
    }

    private record ReadSnapshot(Subscription subscription, int round, List<Map<String, Object>> rows, long ticket) {
    }

    private final SubscriptionRegistry registry;
    private final ReplayStore store;
    private final int maxSubscriptions;
    private final Executor reader;
    private final Tasks tasks;
    private final LongSupplier releasedThrough;
    private final Visibility visibility;
    private final Consumer<StreamId> flushBatch;
    private final ReplayGrants grants;
    private final List<ReadSnapshot> waitingForTickets = new ArrayList<>();
    /** Cluster mode: subscribes whose cursor this instance has yet to reach, in arrival order. */
    private final List<Ahead> ahead = new ArrayList<>();
    private boolean warnedNoReset;
    private final RowcastMetrics metrics;

    SubscriptionManager(SubscriptionRegistry registry, ReplayStore store, int maxSubscriptions, Executor reader,
            Tasks tasks, LongSupplier releasedThrough, Visibility visibility, Consumer<StreamId> flushBatch) {
        this(registry, store, maxSubscriptions, reader, tasks, releasedThrough, visibility, flushBatch,
                RowcastMetrics.local());
    }

    SubscriptionManager(SubscriptionRegistry registry, ReplayStore store, int maxSubscriptions, Executor reader,
            Tasks tasks, LongSupplier releasedThrough, Visibility visibility, Consumer<StreamId> flushBatch,
            RowcastMetrics metrics) {
        this.metrics = metrics;
        this.registry = registry;
        this.store = store;
        this.maxSubscriptions = maxSubscriptions;
        this.reader = reader;
        this.tasks = tasks;
        this.releasedThrough = releasedThrough;
        this.visibility = visibility;
        this.flushBatch = flushBatch;
        this.grants = new ReplayGrants(MAX_REPLAY_GRANTS, store instanceof PositionedReplayStore positioned
                ? positioned.grants() : null);
    }

    void subscribe(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue id, Position from) {
        serveAhead(subscriber, stream); // an earlier subscribe of this stream that still waits comes first
        if (from != null && isAhead(stream, from) && ahead.size() < MAX_AHEAD) {
            ahead.add(new Ahead(subscriber, stream, model, id, from, System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(AHEAD_WAIT_MILLIS)));
            return;
        }
        serve(subscriber, stream, model, id, from);
    }

    /** Whether the cursor is in the stream's epoch past what this instance delivered, positions coming from a log. */
    private boolean isAhead(StreamId stream, Position from) {
        if (!(store instanceof PositionedReplayStore positioned) || !positioned.holds(stream.channel())) {
            return false; // one instance: such a cursor was never handed out, waiting would not help
        }
        Position head;
        try {
            head = store.head(stream);
        } catch (RuntimeException e) {
            return false; // answered now, as a store failure
        }
        return head.epoch().equals(from.epoch()) && from.seq() > head.seq();
    }

    /**
     * Serves the subscribes that waited for this instance to reach their cursor, once it has, or once they waited
     * {@link #AHEAD_WAIT_MILLIS}. Dispatch thread, after each turn of the loop.
     */
    void retryAhead() {
        if (ahead.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<Ahead> due = new ArrayList<>();
        for (Iterator<Ahead> it = ahead.iterator(); it.hasNext();) {
            Ahead waiting = it.next();
            if (!waiting.subscriber().isOpen() || now - waiting.deadlineNanos() >= 0
                    || !isAhead(waiting.stream(), waiting.from())) {
                it.remove();
                due.add(waiting);
            }
        }
        due.forEach(this::serve);
    }

    /** An unsubscribe or a new subscribe of the stream: the waiting subscribe is answered first, as sent. */
    private void serveAhead(Subscriber subscriber, StreamId stream) {
        for (Iterator<Ahead> it = ahead.iterator(); it.hasNext();) {
            Ahead waiting = it.next();
            if (waiting.subscriber() == subscriber && waiting.stream().equals(stream)) {
                it.remove();
                serve(waiting);
            }
        }
    }

    private void serve(Ahead waiting) {
        serve(waiting.subscriber(), waiting.stream(), waiting.model(), waiting.id(), waiting.from());
    }

    /** One subscribe is one unit: whatever fails there ends that subscription, and says so. */
    private void serve(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue id,
            Position from) {
        try {
            answer(subscriber, stream, model, id, from);
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "ROWCAST-101: the subscribe of " + subscriber + " to " + stream + " failed; it gets "
                    + "subscription_lost", e);
            lose(subscriber, stream, registry.find(subscriber, stream), id);
        }
    }

    private void answer(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue id,
            Position from) {
        if (!subscriber.isOpen()) {
            return; // its disconnect may already have run: a subscription now would never be removed
        }
        Subscription existing = registry.find(subscriber, stream);
        if (existing == null && registry.count(subscriber) >= maxSubscriptions) {
            error(subscriber, ErrorCode.TOO_MANY_SUBSCRIPTIONS, "A connection may hold at most "
                    + maxSubscriptions + " subscriptions; unsubscribe from one first.", id);
            return;
        }
        // what it will cost, charged before anything is sent: a refused subscribe changes nothing
        boolean catchUp = from != null && (existing == null || !existing.awaitsSnapshot());
        // a cursor from before the caller joined, or never handed to it, could reveal what it may not have read
        Optional<List<StreamEvent>> missed = catchUp && grants.allows(subscriber.viewer(), stream, from)
                ? eventsAfter(stream, from) : Optional.empty();
        boolean snapshot = model.snapshotModel().isPresent()
                && (catchUp ? missed.isEmpty() : existing == null && from == null);
        int events = missed.map(List::size).orElse(0);
        if ((events > 0 || snapshot) && !subscriber.allowCatchUp(events, snapshot ? 1 : 0)) {
            error(subscriber, ErrorCode.RATE_LIMITED, "Too much catch-up (replayed changes or snapshots) "
                    + "on this connection; subscribe again in a moment.", id);
            return;
        }
        Subscription subscription = existing;
        if (existing != null) {
            existing.requestId = id;
            // one stream, not two; a cursor asks to catch up on this one (after a gap the client noticed)
            subscriber.send(Frames.subscribed(id, stream, store.head(stream)));
        } else {
            subscription = new Subscription(subscriber, stream, model, id);
            registry.add(subscription);
            Position head = store.head(stream);
            subscription.liveAfter(head);
            subscriber.send(Frames.subscribed(id, stream, head));
            if (from == null) {
                grants.joined(subscriber.viewer(), stream, head);
            }
        }
        if (catchUp) {
            catchUp(subscription, id, missed);
        } else if (existing == null && snapshot) {
            startSnapshot(subscription, id);
        }
    }

    /** The store's events after {@code from}; a store that fails counts as not having them. */
    private Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
        try {
            return store.eventsAfter(stream, from);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-022: the replay store failed to read " + stream + "; replay_unavailable", e);
            return Optional.empty();
        }
    }

    /** Replays what was missed, or says it cannot and sends a snapshot when the channel has one. */
    private void catchUp(Subscription subscription, JsonValue id, Optional<List<StreamEvent>> missed) {
        StreamId stream = subscription.stream;
        Subscriber subscriber = subscription.subscriber;
        ReactiveEntityModel model = subscription.model;
        if (missed.isPresent()) {
            for (StreamEvent event : missed.get()) {
                StreamEventView view = new StreamEventView(stream, event.position(), eventType(event),
                        new ChangeText(event.change()), model, visibility);
                subscription.send(Frames.replayed(view.frameFor(subscriber.viewer()).text()));
            }
            metrics.replayServed(missed.get().size());
            // replayed up to the head: an open batch window must not send those again
            subscription.liveAfter(store.head(stream));
            return;
        }
        metrics.replayUnavailable();
        error(subscriber, ErrorCode.REPLAY_UNAVAILABLE, "The server cannot replay every change after "
                + "that position to you" + (model.snapshotModel().isPresent() ? "; a snapshot follows." : "; reload "
                + "the current state."), id);
        grants.joined(subscriber.viewer(), stream, store.head(stream));
        if (model.snapshotModel().isPresent()) {
            startSnapshot(subscription, id);
        }
    }

    void unsubscribe(Subscriber subscriber, StreamId stream, JsonValue id) {
        serveAhead(subscriber, stream);
        Subscription removed = registry.remove(subscriber, stream);
        if (removed != null) {
            removed.release(); // gives back what it held against the socket's bound
        }
        subscriber.send(Frames.unsubscribed(id, stream));
    }

    void disconnect(Subscriber subscriber) {
        ahead.removeIf(waiting -> waiting.subscriber() == subscriber);
        registry.removeAll(subscriber);
    }

    /** Ends one subscription that lost its right, telling its socket. */
    void revoke(Subscriber subscriber, StreamId stream) {
        Subscription removed = registry.remove(subscriber, stream);
        if (removed != null) {
            removed.release(); // gives back what it held against the socket's bound
            error(subscriber, ErrorCode.REVOKED, "This subscription was ended: you may no longer follow "
                    + "this channel and scope.", removed.requestId);
        }
    }

    /** Every subscription of the named caller, on every socket. */
    List<Subscribed> subscriptionsOf(String user) {
        List<Subscribed> found = new ArrayList<>();
        registry.forEach(subscription -> {
            java.security.Principal principal = subscription.subscriber.viewer().principal();
            if (principal != null && principal.getName().equals(user)) {
                found.add(new Subscribed(subscription.subscriber, subscription.stream, subscription.model));
            }
        });
        return found;
    }

    // --- resets: lost changes are never silent ---

    /**
     * The stream lost changes: what its open batch holds goes out first, then the stream starts a new epoch and every
     * subscriber resyncs.
     */
    void resetStream(StreamId stream) {
        flushBatch.accept(stream);
        resetInStore(() -> store.reset(stream), stream.toString());
        resyncAll(stream);
    }

    /** As {@link #resetStream} for every stream of the channel, followed or not. */
    void resetChannel(String channel) {
        List<StreamId> followed = registry.streams().stream().filter(s -> s.channel().equals(channel)).toList();
        followed.forEach(flushBatch);
        resetInStore(() -> store.resetChannel(channel), "channel " + channel);
        followed.forEach(this::resyncAll);
    }

    /** After the dispatch thread was lost mid-work: any followed stream may miss a change. */
    void resetFollowed() {
        registry.streams().forEach(this::resetStream);
    }

    private void resyncAll(StreamId stream) {
        for (Subscription subscription : List.copyOf(registry.of(stream))) {
            resyncOrDrop(subscription);
        }
    }

    /**
     * Resyncs the subscription; one that cannot even be resynced is dropped, so it fails no more work, and its socket
     * gets {@code subscription_lost}.
     */
    void resyncOrDrop(Subscription subscription) {
        try {
            resync(subscription);
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "ROWCAST-023: resync of " + subscription.subscriber + " on " + subscription.stream
                    + " failed; that subscription is dropped and its socket gets subscription_lost", e);
            if (registry.find(subscription.subscriber, subscription.stream) == subscription) {
                lose(subscription.subscriber, subscription.stream, subscription, subscription.requestId);
            }
        }
    }

    /**
     * Ends a subscription the server could not keep, and tells its socket: an unsolicited {@code subscription_lost}
     * with the {@code id} of the subscribe that made it. A client left believing it follows a stream that no longer
     * delivers would be stale without knowing; a socket that cannot even be told is closed with 1011.
     *
     * @param subscription what the registry holds for the pair, removed and released; null when nothing was made
     */
    private void lose(Subscriber subscriber, StreamId stream, Subscription subscription, JsonValue id) {
        try {
            if (subscription != null && registry.find(subscriber, stream) == subscription) {
                registry.remove(subscriber, stream);
                subscription.release(); // gives back what it held against the socket's bound
            }
            metrics.error(ErrorCode.SUBSCRIPTION_LOST.wireName());
            subscriber.send(Frames.subscriptionLost(id, stream, "The server could not keep this subscription; "
                    + "nothing more of it follows. Subscribe again (from your last position) in a moment."));
        } catch (Throwable e) {
            subscriber.sendFailed(e);
        }
    }

    private void resetInStore(Runnable reset, String what) {
        try {
            reset.run();
        } catch (UnsupportedOperationException e) {
            if (!warnedNoReset) {
                warnedNoReset = true;
                LOG.log(Level.SEVERE, "ROWCAST-024: the replay store " + store.getClass().getName() + " cannot reset "
                        + "streams; clients resuming from before lost changes may miss them. (Logged once.)", e);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "ROWCAST-025: the replay store failed to reset " + what, e);
        }
    }

    /**
     * The subscription missed something: tell it (an unsolicited {@code replay_unavailable} with the stream's head)
     * and start it over from a snapshot, or from the head for a channel without one. Whatever it held, and any
     * snapshot read under way, is dropped.
     */
    void resync(Subscription subscription) {
        if (registry.find(subscription.subscriber, subscription.stream) != subscription) {
            return;
        }
        subscription.release();
        boolean snapshot = subscription.model.snapshotModel().isPresent();
        Position head = store.head(subscription.stream);
        subscription.liveAfter(head);
        grants.joined(subscription.subscriber.viewer(), subscription.stream, head); // starts over in the new epoch
        metrics.replayUnavailable();
        metrics.error(ErrorCode.REPLAY_UNAVAILABLE.wireName());
        subscription.subscriber.send(Frames.streamReset(subscription.stream, head, "The server lost changes of this "
                + "stream (overload or a failure)" + (snapshot ? "; a snapshot follows." : "; reload the current state.")));
        if (snapshot) {
            startSnapshot(subscription, null);
        }
    }

    // --- snapshots ---

    /** The highest ticket a snapshot read waits to see released, or 0 when none waits. */
    long awaitedTicket() {
        long awaited = 0;
        for (ReadSnapshot read : waitingForTickets) {
            awaited = Math.max(awaited, read.ticket());
        }
        return awaited;
    }

    /** After each release of transactions: sends the snapshots that waited for them. */
    void released(long releasedThrough) {
        if (waitingForTickets.isEmpty()) {
            return;
        }
        List<ReadSnapshot> ready = new ArrayList<>();
        for (Iterator<ReadSnapshot> it = waitingForTickets.iterator(); it.hasNext();) {
            ReadSnapshot read = it.next();
            if (read.ticket() <= releasedThrough) {
                it.remove();
                ready.add(read);
            }
        }
        for (ReadSnapshot read : ready) {
            try {
                send(read);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "ROWCAST-026: sending the snapshot of " + read.subscription().stream + " failed", e);
                snapshotFailedOrLose(read.subscription(), read.round(), null, e);
            }
        }
    }

    private void startSnapshot(Subscription subscription, JsonValue id) {
        Optional<SnapshotSource> source = ReactiveChannels.snapshotSource(subscription.stream.channel());
        ScopeModel scope = subscription.model.scopeByColumn(subscription.stream.column()).orElseThrow();
        if (source.isEmpty()) {
            error(subscription.subscriber, ErrorCode.SNAPSHOT_UNAVAILABLE,
                    "No snapshot source for this channel; live changes follow.", id);
            return;
        }
        int round = subscription.holdUntilSnapshot();
        try {
            reader.execute(() -> {
                try {
                    long started = System.nanoTime();
                    List<Map<String, Object>> rows = source.get().read(scope, subscription.stream.value());
                    metrics.snapshot(System.nanoTime() - started);
                    // every transaction that could have committed before the read ended has a ticket up to this one
                    long ticket = CaptureBridge.ticketsTaken();
                    long bytes = SNAPSHOT_TASK_BYTES;
                    for (Map<String, Object> row : rows) {
                        bytes += ChangeSize.row(row);
                    }
                    ReadSnapshot read = new ReadSnapshot(subscription, round, rows, ticket);
                    if (!tasks.offer(bytes, () -> snapshotRead(read))) {
                        tasks.force(SNAPSHOT_TASK_BYTES, () -> snapshotFailedOrLose(subscription, round, id,
                                new IllegalStateException("the dispatch queue is full")));
                    }
                } catch (Throwable e) { // an Error must not leave the subscription holding for ever
                    tasks.force(SNAPSHOT_TASK_BYTES, () -> snapshotFailedOrLose(subscription, round, id, e));
                }
            });
        } catch (RuntimeException e) { // rejected, or the executor is gone
            snapshotFailed(subscription, round, id, e);
        }
    }

    private void snapshotRead(ReadSnapshot read) {
        if (read.ticket() <= releasedThrough.getAsLong()) {
            try {
                send(read);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "ROWCAST-026: sending the snapshot of " + read.subscription().stream + " failed", e);
                snapshotFailedOrLose(read.subscription(), read.round(), null, e);
            }
        } else {
            waitingForTickets.add(read);
        }
    }

    private boolean isCurrent(Subscription subscription, int round) {
        // unsubscribed, disconnected, or resynced (another read is current) while reading
        return registry.find(subscription.subscriber, subscription.stream) == subscription
                && subscription.isRound(round);
    }

    private void send(ReadSnapshot read) {
        Subscription subscription = read.subscription();
        if (!isCurrent(subscription, read.round())) {
            return;
        }
        if (subscription.heldOverflow()) {
            subscription.release(); // the socket is being closed for what was held
            return;
        }
        List<Map<String, Object>> rows = visibility.rows(subscription.model, subscription.subscriber.viewer(),
                SnapshotMerge.merge(subscription.model, read.rows(), subscription.release()));
        Position head = store.head(subscription.stream);
        subscription.liveAfter(head);
        subscription.send(Frames.snapshot(subscription.stream, head, rows));
    }

    /** An error frame, counted by its code. */
    private void error(Subscriber subscriber, ErrorCode code, String message, JsonValue id) {
        metrics.error(code.wireName());
        subscriber.send(Frames.error(code, message, id));
    }

    private static EventType eventType(StreamEvent event) {
        return EventType.ofWireName(event.type()).orElseThrow(() -> new IllegalStateException(
                "The replay store gave back an event of unknown type '" + event.type() + "' at " + event.position()));
    }

    /** As {@link #snapshotFailed}; when even that fails, the subscription ends with {@code subscription_lost}. */
    private void snapshotFailedOrLose(Subscription subscription, int round, JsonValue id, Throwable e) {
        try {
            snapshotFailed(subscription, round, id, e);
        } catch (Throwable failed) {
            LOG.log(Level.SEVERE, "ROWCAST-102: the snapshot of " + subscription.stream + " for " + subscription.subscriber
                    + " failed, and so did going on without it; that subscription is dropped and its socket gets "
                    + "subscription_lost", failed);
            // it was current when snapshotFailed started (else it returns at once), which may have released it
            if (registry.find(subscription.subscriber, subscription.stream) == subscription) {
                lose(subscription.subscriber, subscription.stream, subscription, subscription.requestId);
            }
        }
    }

    private void snapshotFailed(Subscription subscription, int round, JsonValue id, Throwable e) {
        LOG.log(Level.WARNING, "ROWCAST-027: snapshot of " + subscription.stream + " failed", e);
        if (!isCurrent(subscription, round)) {
            return;
        }
        boolean overflow = subscription.heldOverflow();
        List<StreamEventView> held = subscription.release();
        if (overflow) {
            return;
        }
        error(subscription.subscriber, ErrorCode.SNAPSHOT_UNAVAILABLE,
                "The snapshot could not be read; live changes follow.", id);
        held.forEach(event -> subscription.send(event.frameFor(subscription.subscriber.viewer())));
        // what was held is sent; an open batch window must not send it again
        subscription.liveAfter(store.head(subscription.stream));
    }
}
