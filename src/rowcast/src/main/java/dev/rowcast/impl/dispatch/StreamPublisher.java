package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.security.RowPolicy;
import dev.rowcast.impl.security.RowViews;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.RowView;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.StreamId;

/**
 * Puts one committed change on every stream it touches: gives it the stream's next position, stores the frame for
 * replay, and hands the same frame text to every subscriber. The event is serialized once per event type, the frame
 * once per stream. Dispatch thread only.
 * <p>
 * An update that moves a row to another scope value is a {@code leave} on the old value's stream and an
 * {@code enter} on the new one's.
 */
final class StreamPublisher {

    private final SubscriptionRegistry registry;
    private final ReplayStore store;
    private final RowPolicies policies;
    private final Map<StreamId, Batch> batches = new LinkedHashMap<>();

    /** One change waiting in a batch, with the event as everyone allowed sees it. */
    private record Item(EntityChange change, String type, Position position, String event) {
    }

    /** A stream's changes waiting for the end of its batch window. */
    private static final class Batch {
        final ReactiveEntityModel model;
        final long deadlineNanos;
        final List<Item> items = new ArrayList<>();

        Batch(ReactiveEntityModel model, long deadlineNanos) {
            this.model = model;
            this.deadlineNanos = deadlineNanos;
        }
    }

    StreamPublisher(SubscriptionRegistry registry, ReplayStore store, RowPolicies policies) {
        this.registry = registry;
        this.store = store;
        this.policies = policies;
    }

    void publish(CapturedChange captured) {
        ReactiveEntityModel model = captured.model();
        EntityChange change = captured.change();
        Map<String, String> events = new HashMap<>(4);
        for (ScopeModel scope : model.scopes()) {
            Object value = change.row().get(scope.column());
            boolean moved = change.previous().containsKey(scope.column())
                    && !Objects.equals(change.previous().get(scope.column()), value);
            if (moved) {
                publish(model, scope, change.previous().get(scope.column()), change, Frames.LEAVE, events);
                publish(model, scope, value, change, Frames.ENTER, events);
            } else {
                publish(model, scope, value, change, change.type().wireName(), events);
            }
        }
    }

    private void publish(ReactiveEntityModel model, ScopeModel scope, Object value, EntityChange change, String type,
            Map<String, String> events) {
        if (value == null) {
            return; // a row with no value for this scope is on no stream of it
        }
        StreamId stream = new StreamId(model.channel(), scope.column(), value);
        if (registry.of(stream).isEmpty()) {
            // nobody follows it: only the replay store wants the frame, and it may build it when a client asks
            store.append(stream, p -> Frames.change(stream, p, events.computeIfAbsent(type,
                    t -> Frames.event(change, t))));
            return;
        }
        String event = events.computeIfAbsent(type, t -> Frames.event(change, t));
        // built once whether the store asks for it at once or when a client reads it back later
        String[] frame = new String[1];
        Position position = store.append(stream,
                p -> frame[0] != null ? frame[0] : (frame[0] = Frames.change(stream, p, event)));
        if (frame[0] == null) {
            frame[0] = Frames.change(stream, position, event);
        }
        if (model.batchMillis() > 0) {
            Optional<RowPolicy> policy = policies.of(model);
            for (Subscription subscription : registry.of(stream)) {
                if (subscription.awaitsSnapshot()) {
                    // held, to be folded into the snapshot, or sent as it is should the snapshot fail: so in
                    // the subscriber's own view
                    subscription.deliver(change, type, policy.isEmpty() ? frame[0]
                            : ReplayFilter.apply(frame[0], stream, policy.get(), subscription.subscriber.viewer()));
                }
            }
            batches.computeIfAbsent(stream, s -> new Batch(model,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(model.batchMillis())))
                    .items.add(new Item(change, type, position, event));
            return;
        }
        Optional<RowPolicy> policy = policies.of(model);
        if (policy.isEmpty()) {
            for (Subscription subscription : registry.of(stream)) {
                subscription.deliver(change, type, frame[0]);
            }
            return;
        }
        // per viewer, but one frame per distinct verdict: subscribers who see the same thing share its text
        RowView view = RowViews.of(model.channel(), type, change.row());
        Map<Set<String>, String> redacted = new HashMap<>();
        String hidden = null;
        for (Subscription subscription : registry.of(stream)) {
            RowVisibility visibility = policy.get().visibility(subscription.subscriber.viewer(), view);
            if (visibility.isHidden() && hidden == null) {
                hidden = Frames.hidden(stream, position);
            }
            String personal = visibility.isHidden() ? hidden
                    : visibility.droppedColumns().isEmpty() ? frame[0]
                    : redacted.computeIfAbsent(visibility.droppedColumns(), columns -> Frames.change(stream,
                            position, Frames.event(Redaction.without(change, columns), type)));
            subscription.deliver(change, type, personal);
        }
    }

    /**
     * Without a row policy everyone sees every event, so subscribers differ only in where they joined: one frame per
     * starting point, built once, and usually there is only one.
     */
    private void flushToAll(StreamId stream, Batch batch) {
        List<Item> items = batch.items;
        Position last = items.get(items.size() - 1).position();
        Map<Integer, String> byStart = new HashMap<>(2);
        for (Subscription subscription : registry.of(stream)) {
            if (subscription.awaitsSnapshot()) {
                continue;
            }
            int start = 0;
            while (start < items.size() && subscription.hasSeen(items.get(start).position())) {
                start++;
            }
            if (start < items.size()) {
                int from = start;
                subscription.subscriber.send(byStart.computeIfAbsent(from, f -> Frames.batch(stream, last,
                        items.subList(f, items.size()).stream().map(Item::event).toList())));
            }
        }
    }

    /** When the earliest batch window ends, or {@link Long#MAX_VALUE} when none is open. */
    long nextDeadlineNanos() {
        long next = Long.MAX_VALUE;
        for (Batch batch : batches.values()) {
            next = Math.min(next, batch.deadlineNanos);
        }
        return next;
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
                flush(entry.getKey(), entry.getValue());
            }
        }
    }

    /**
     * One frame per distinct view of the batch: subscribers who see the same events (and joined before the same
     * one) share its text.
     */
    private void flush(StreamId stream, Batch batch) {
        Optional<RowPolicy> policy = policies.of(batch.model);
        if (policy.isEmpty()) {
            flushToAll(stream, batch);
            return;
        }
        Map<String, String> frames = new HashMap<>();
        Map<String, String> variants = new HashMap<>();
        for (Subscription subscription : registry.of(stream)) {
            if (subscription.awaitsSnapshot()) {
                continue;
            }
            List<String> events = new ArrayList<>(batch.items.size());
            StringBuilder key = new StringBuilder();
            Position last = null;
            for (int i = 0; i < batch.items.size(); i++) {
                Item item = batch.items.get(i);
                if (subscription.hasSeen(item.position())) {
                    continue;
                }
                String variant = "";
                String event = item.event();
                if (policy.isPresent()) {
                    RowVisibility visibility = policy.get().visibility(subscription.subscriber.viewer(),
                            RowViews.of(stream.channel(), item.type(), item.change().row()));
                    variant = visibility.isHidden() ? "h" : new TreeSet<>(visibility.droppedColumns()).toString();
                    event = visibility.isHidden() ? Frames.HIDDEN_EVENT
                            : visibility.droppedColumns().isEmpty() ? item.event()
                            : variants.computeIfAbsent(i + variant, k -> Frames.event(
                                    Redaction.without(item.change(), visibility.droppedColumns()), item.type()));
                }
                events.add(event);
                key.append(i).append(variant).append(';');
                last = item.position();
            }
            if (!events.isEmpty()) {
                Position at = last;
                subscription.subscriber.send(frames.computeIfAbsent(key.toString(),
                        k -> Frames.batch(stream, at, events)));
            }
        }
    }
}
