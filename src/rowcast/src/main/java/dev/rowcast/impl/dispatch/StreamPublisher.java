package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.impl.visibility.Seen;
import dev.rowcast.impl.visibility.Visibility;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamId;

/**
 * Puts one committed change on every stream it touches: gives it the stream's next position in the replay store,
 * and sends each subscriber the frame it may see. The event is serialized once per (type, verdict) and the frame
 * once per (stream, verdict), whatever the number of subscribers. Dispatch thread only.
 * <p>
 * An update that moves a row to another scope value is a {@code leave} on the old value's stream and an
 * {@code enter} on the new one's.
 * <p>
 * Each stream and each subscriber is its own unit: a replay store that fails on one stream has that stream reset, a
 * subscriber whose frame cannot be built or sent (or who did not know the stream's new epoch) resyncs, and the rest
 * get the change as usual.
 */
final class StreamPublisher {

    private static final Logger LOG = Logger.getLogger(StreamPublisher.class.getName());

    private final SubscriptionRegistry registry;
    private final Repairs repairs;
    private final long maxBatchChars;
    private final ReplayStore store;
    private final Visibility visibility;
    private final Map<StreamId, Batch> batches = new LinkedHashMap<>();
    private final RowcastMetrics metrics;

    /** A stream's events waiting for the end of its batch window. */
    private static final class Batch {
        final long deadlineNanos;
        final List<StreamEventView> items = new ArrayList<>();
        /** When each item's transaction committed (System.nanoTime), for the lag; 0 for unknown. */
        long[] committedNanos = new long[8];
        long chars;

        Batch(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** @param maxBatchChars a batch this large goes out before its window ends: frames and memory stay bounded */
    StreamPublisher(SubscriptionRegistry registry, ReplayStore store, Visibility visibility, Repairs repairs,
            long maxBatchChars) {
        this(registry, store, visibility, repairs, maxBatchChars, RowcastMetrics.local());
    }

    StreamPublisher(SubscriptionRegistry registry, ReplayStore store, Visibility visibility, Repairs repairs,
            long maxBatchChars, RowcastMetrics metrics) {
        this.metrics = metrics;
        this.registry = registry;
        this.repairs = repairs;
        this.maxBatchChars = maxBatchChars;
        this.store = store;
        this.visibility = visibility;
    }

    void publish(CapturedChange captured) {
        publish(captured, 0);
    }

    /** @param committedNanos when its transaction committed ({@link System#nanoTime}), for the lag; 0 for unknown */
    void publish(CapturedChange captured, long committedNanos) {
        ReactiveEntityModel model = captured.model();
        EntityChange change = captured.change();
        ChangeText text = new ChangeText(change);
        for (ScopeModel scope : model.scopes()) {
            Object value = change.row().get(scope.column());
            boolean moved = change.previous().containsKey(scope.column())
                    && !Objects.equals(change.previous().get(scope.column()), value);
            if (moved) {
                publishSafely(captured, scope, change.previous().get(scope.column()), text, EventType.LEAVE,
                        committedNanos);
                publishSafely(captured, scope, value, text, EventType.ENTER, committedNanos);
            } else {
                publishSafely(captured, scope, value, text, EventType.of(change.type()), committedNanos);
            }
        }
    }

    /** One stream is one unit: whatever fails there resets that stream only. */
    private void publishSafely(CapturedChange captured, ScopeModel scope, Object value, ChangeText text,
            EventType type, long committedNanos) {
        ReactiveEntityModel model = captured.model();
        try {
            publish(captured, scope, value, text, type, committedNanos);
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "ROWCAST-018: putting " + text.change() + " on stream " + scope.column() + "=" + value
                    + " failed; the stream is reset", e);
            if (value != null) {
                repairs.streamLost(new StreamId(model.channel(), scope.column(), value));
            }
        }
    }

    private void publish(CapturedChange captured, ScopeModel scope, Object value, ChangeText text,
            EventType type, long committedNanos) {
        ReactiveEntityModel model = captured.model();
        if (value == null) {
            return; // a row with no value for this scope is on no stream of it
        }
        StreamId stream = new StreamId(model.channel(), scope.column(), value);
        Position position;
        try {
            Position given = captured.positions() == null ? null : captured.positions().get(stream);
            if (given != null && store instanceof PositionedReplayStore positioned) {
                // cluster mode: the relay gave the position, the same on every instance
                positioned.appended(stream, given, captured.logSeq());
                position = given;
            } else {
                position = store.append(stream, type.wireName(), text.change());
            }
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "ROWCAST-019: the replay store failed to append to " + stream + "; the stream is reset "
                    + "and its subscribers resync", e);
            repairs.streamLost(stream);
            return;
        }
        if (registry.of(stream).isEmpty()) {
            return; // nobody follows it: nothing is serialized until a client replays it
        }
        StreamEventView event = new StreamEventView(stream, position, type, text, model, visibility);
        boolean batched = model.batchMillis() > 0;
        for (Subscription subscription : registry.of(stream)) {
            if (!subscription.knowsEpoch(position)) {
                repairs.broken(subscription); // the store started a new epoch under it
                continue;
            }
            try {
                if (batched) {
                    subscription.holdIfAwaitingSnapshot(event);
                } else {
                    subscription.deliver(event);
                }
            } catch (Throwable e) {
                brokenSubscriber(subscription, e);
            }
        }
        if (!batched && committedNanos != 0) {
            metrics.lag(System.nanoTime() - committedNanos); // once per (change, stream), not per subscriber
        }
        if (batched) {
            Batch batch = batches.computeIfAbsent(stream, s -> new Batch(
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(model.batchMillis())));
            if (batch.items.size() == batch.committedNanos.length) {
                batch.committedNanos = java.util.Arrays.copyOf(batch.committedNanos, batch.items.size() * 2);
            }
            batch.committedNanos[batch.items.size()] = committedNanos;
            batch.items.add(event);
            batch.chars += event.frameBytes();
            if (batch.chars >= maxBatchChars) {
                flush(stream); // a writer that outpaces the window does not grow it without bound
            }
        }
    }

    private void brokenSubscriber(Subscription subscription, Throwable e) {
        LOG.log(Level.SEVERE, "ROWCAST-020: a change could not be sent to " + subscription.subscriber + " on "
                + subscription.stream + "; that subscriber resyncs", e);
        repairs.broken(subscription);
    }

    /** When the earliest batch window ends, or {@link Long#MAX_VALUE} when none is open. */
    long nextDeadlineNanos() {
        long next = Long.MAX_VALUE;
        for (Batch batch : batches.values()) {
            next = Math.min(next, batch.deadlineNanos);
        }
        return next;
    }

    /** Sends the stream's open batch now, if it has one: before a reset, so its events precede the new epoch. */
    void flush(StreamId stream) {
        Batch batch = batches.remove(stream);
        if (batch != null) {
            flush(stream, batch);
        }
    }

    /** Sends every batch whose window has ended; all of them when {@code nowNanos} is {@link Long#MAX_VALUE}. */
    void flushDue(long nowNanos) {
        if (batches.isEmpty()) {
            return;
        }
        for (Iterator<Map.Entry<StreamId, Batch>> it = batches.entrySet().iterator(); it.hasNext();) {
            Map.Entry<StreamId, Batch> entry = it.next();
            if (entry.getValue().deadlineNanos - nowNanos <= 0 || nowNanos == Long.MAX_VALUE) {
                it.remove();
                try {
                    flush(entry.getKey(), entry.getValue());
                } catch (Throwable e) { // one stream's batch must not keep the others'
                    LOG.log(Level.SEVERE, "ROWCAST-021: sending the batch of " + entry.getKey() + " failed; it is reset", e);
                    repairs.streamLost(entry.getKey());
                }
            }
        }
    }

    /**
     * One frame per distinct view of the batch: subscribers who see the same events (and joined before the same
     * one) share its text. Without a row policy that is one frame per starting point, and usually only one.
     */
    private void flush(StreamId stream, Batch batch) {
        long now = System.nanoTime();
        for (int i = 0; i < batch.items.size(); i++) {
            if (batch.committedNanos[i] != 0) {
                metrics.lag(now - batch.committedNanos[i]);
            }
        }
        Map<List<Object>, OutboundFrame> frames = new HashMap<>();
        for (Subscription subscription : registry.of(stream)) {
            if (subscription.awaitsSnapshot()) {
                continue; // its events are held for the snapshot
            }
            try {
                flushTo(subscription, stream, batch, frames);
            } catch (Throwable e) {
                brokenSubscriber(subscription, e);
            }
        }
    }

    /** The batch frame one subscriber gets; shared with every subscriber who gets the same one. */
    private static void flushTo(Subscription subscription, StreamId stream, Batch batch,
            Map<List<Object>, OutboundFrame> frames) {
        List<Object> key = new ArrayList<>();
        List<String> events = new ArrayList<>(batch.items.size());
        Position last = null;
        for (int i = 0; i < batch.items.size(); i++) {
            StreamEventView item = batch.items.get(i);
            if (subscription.hasSeen(item.position)) {
                continue;
            }
            Seen seen = item.seenBy(subscription.subscriber.viewer());
            key.add(i);
            key.add(seen);
            events.add(item.eventFor(seen));
            last = item.position;
        }
        if (!events.isEmpty()) {
            Position at = last;
            subscription.send(frames.computeIfAbsent(key, k -> OutboundFrame.of(Frames.batch(stream, at, events))));
        }
    }
}
