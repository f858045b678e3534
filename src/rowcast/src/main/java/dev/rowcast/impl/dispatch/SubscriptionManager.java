package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonValue;

import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.ReactiveChannels;
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
 */
final class SubscriptionManager {

    private static final Logger LOG = Logger.getLogger(SubscriptionManager.class.getName());
    /** About 100 bytes each: 10 MB at most. docs/security.md, "Replay". */
    static final int MAX_REPLAY_GRANTS = 100_000;

    private record ReadSnapshot(Subscription subscription, List<Map<String, Object>> rows, long ticket) {
    }

    private final SubscriptionRegistry registry;
    private final ReplayStore store;
    private final int maxSubscriptions;
    private final Executor reader;
    private final Consumer<Runnable> onDispatchThread;
    private final LongSupplier releasedThrough;
    private final Visibility visibility;
    private final ReplayGrants grants = new ReplayGrants(MAX_REPLAY_GRANTS);
    private final List<ReadSnapshot> waitingForTickets = new ArrayList<>();

    SubscriptionManager(SubscriptionRegistry registry, ReplayStore store, int maxSubscriptions, Executor reader,
            Consumer<Runnable> onDispatchThread, LongSupplier releasedThrough, Visibility visibility) {
        this.registry = registry;
        this.store = store;
        this.maxSubscriptions = maxSubscriptions;
        this.reader = reader;
        this.onDispatchThread = onDispatchThread;
        this.releasedThrough = releasedThrough;
        this.visibility = visibility;
    }

    void subscribe(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue id, Position from) {
        if (!subscriber.isOpen()) {
            return; // its disconnect may already have run: a subscription now would never be removed
        }
        Subscription existing = registry.find(subscriber, stream);
        if (existing != null) {
            existing.requestId = id;
            // one stream, not two; a cursor asks to catch up on this one (after a gap the client noticed)
            subscriber.send(Frames.subscribed(id, stream, store.head(stream)));
            if (from != null && !existing.awaitsSnapshot()) {
                catchUp(existing, id, from);
            }
            return;
        }
        if (registry.count(subscriber) >= maxSubscriptions) {
            subscriber.send(Frames.error(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "A connection may hold at most "
                    + maxSubscriptions + " subscriptions; unsubscribe from one first.", id));
            return;
        }
        Subscription subscription = new Subscription(subscriber, stream, model, id);
        registry.add(subscription);
        Position head = store.head(stream);
        subscription.liveAfter(head);
        subscriber.send(Frames.subscribed(id, stream, head));
        if (from != null) {
            catchUp(subscription, id, from);
            return;
        }
        grants.joined(subscriber.viewer(), stream, head);
        if (model.snapshotModel().isPresent()) {
            startSnapshot(subscription, id);
        }
    }

    /** Replays what came after {@code from}, or says it cannot and sends a snapshot when the channel has one. */
    private void catchUp(Subscription subscription, JsonValue id, Position from) {
        StreamId stream = subscription.stream;
        Subscriber subscriber = subscription.subscriber;
        ReactiveEntityModel model = subscription.model;
        // a cursor from before the caller joined, or never handed to it, could reveal what it may not have read
        Optional<List<StreamEvent>> missed = grants.allows(subscriber.viewer(), stream, from)
                ? store.eventsAfter(stream, from) : Optional.empty();
        if (missed.isPresent()) {
            for (StreamEvent event : missed.get()) {
                StreamEventView view = new StreamEventView(stream, event.position(), eventType(event),
                        new ChangeText(event.change()), model, visibility);
                subscriber.send(Frames.replayed(view.frameFor(subscriber.viewer())));
            }
            // replayed up to the head: an open batch window must not send those again
            subscription.liveAfter(store.head(stream));
            return;
        }
        subscriber.send(Frames.error(ErrorCode.REPLAY_UNAVAILABLE, "The server cannot replay every change after "
                + "that position to you" + (model.snapshotModel().isPresent() ? "; a snapshot follows." : "; reload "
                + "the current state."), id));
        grants.joined(subscriber.viewer(), stream, store.head(stream));
        if (model.snapshotModel().isPresent()) {
            startSnapshot(subscription, id);
        }
    }

    void unsubscribe(Subscriber subscriber, StreamId stream, JsonValue id) {
        registry.remove(subscriber, stream);
        subscriber.send(Frames.unsubscribed(id, stream));
    }

    void disconnect(Subscriber subscriber) {
        registry.removeAll(subscriber);
    }

    /** Ends one subscription that lost its right, telling its socket. */
    void revoke(Subscriber subscriber, StreamId stream) {
        Subscription removed = registry.remove(subscriber, stream);
        if (removed != null) {
            subscriber.send(Frames.error(ErrorCode.REVOKED, "This subscription was ended: you may no longer follow "
                    + "this channel and scope.", removed.requestId));
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
        for (Iterator<ReadSnapshot> it = waitingForTickets.iterator(); it.hasNext();) {
            ReadSnapshot read = it.next();
            if (read.ticket() <= releasedThrough) {
                it.remove();
                send(read);
            }
        }
    }

    private void startSnapshot(Subscription subscription, JsonValue id) {
        Optional<SnapshotSource> source = ReactiveChannels.snapshotSource(subscription.stream.channel());
        ScopeModel scope = subscription.model.scopeByColumn(subscription.stream.column()).orElseThrow();
        if (source.isEmpty()) {
            subscription.subscriber.send(Frames.error(ErrorCode.SNAPSHOT_UNAVAILABLE,
                    "No snapshot source for this channel; live changes follow.", id));
            return;
        }
        subscription.holdUntilSnapshot();
        try {
            reader.execute(() -> {
                try {
                    List<Map<String, Object>> rows = source.get().read(scope, subscription.stream.value());
                    // every transaction that could have committed before the read ended has a ticket up to this one
                    long ticket = CaptureBridge.ticketsTaken();
                    onDispatchThread.accept(() -> snapshotRead(new ReadSnapshot(subscription, rows, ticket)));
                } catch (RuntimeException e) {
                    onDispatchThread.accept(() -> snapshotFailed(subscription, id, e));
                }
            });
        } catch (RejectedExecutionException e) {
            snapshotFailed(subscription, id, e);
        }
    }

    private void snapshotRead(ReadSnapshot read) {
        if (read.ticket() <= releasedThrough.getAsLong()) {
            send(read);
        } else {
            waitingForTickets.add(read);
        }
    }

    private void send(ReadSnapshot read) {
        Subscription subscription = read.subscription();
        if (registry.find(subscription.subscriber, subscription.stream) != subscription) {
            return; // unsubscribed or disconnected while reading
        }
        List<Map<String, Object>> rows = visibility.rows(subscription.model, subscription.subscriber.viewer(),
                SnapshotMerge.merge(subscription.model, read.rows(), subscription.release()));
        Position head = store.head(subscription.stream);
        subscription.liveAfter(head);
        subscription.subscriber.send(Frames.snapshot(subscription.stream, head, rows));
    }

    private static EventType eventType(StreamEvent event) {
        return EventType.ofWireName(event.type()).orElseThrow(() -> new IllegalStateException(
                "The replay store gave back an event of unknown type '" + event.type() + "' at " + event.position()));
    }

    private void snapshotFailed(Subscription subscription, JsonValue id, Exception e) {
        LOG.log(Level.WARNING, "Rowcast: snapshot of " + subscription.stream + " failed", e);
        if (registry.find(subscription.subscriber, subscription.stream) != subscription) {
            return;
        }
        subscription.subscriber.send(Frames.error(ErrorCode.SNAPSHOT_UNAVAILABLE,
                "The snapshot could not be read; live changes follow.", id));
        subscription.release().forEach(held -> subscription.subscriber.send(
                held.frameFor(subscription.subscriber.viewer())));
        // what was held is sent; an open batch window must not send it again
        subscription.liveAfter(store.head(subscription.stream));
    }
}
