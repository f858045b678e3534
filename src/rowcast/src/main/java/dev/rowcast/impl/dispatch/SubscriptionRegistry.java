package dev.rowcast.impl.dispatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.spi.StreamId;

/** Which subscribers follow which streams. Dispatch thread only, so plain maps. */
final class SubscriptionRegistry {

    private final Map<StreamId, Map<Subscriber, Subscription>> byStream = new HashMap<>();
    private final Map<Subscriber, Map<StreamId, Subscription>> bySubscriber = new HashMap<>();
    private final RowcastMetrics metrics;
    /** Told of every join and leave; set once, before the dispatch thread starts. */
    private StreamMembers members = StreamMembers.NONE;

    void members(StreamMembers listener) {
        members = listener;
    }

    SubscriptionRegistry() {
        this(RowcastMetrics.local());
    }

    /** @param metrics counts subscriptions and followed streams per channel */
    SubscriptionRegistry(RowcastMetrics metrics) {
        this.metrics = metrics;
    }

    Subscription find(Subscriber subscriber, StreamId stream) {
        Map<StreamId, Subscription> streams = bySubscriber.get(subscriber);
        return streams == null ? null : streams.get(stream);
    }

    int count(Subscriber subscriber) {
        Map<StreamId, Subscription> streams = bySubscriber.get(subscriber);
        return streams == null ? 0 : streams.size();
    }

    void add(Subscription subscription) {
        subscription.meters = metrics.channel(subscription.stream.channel());
        Map<Subscriber, Subscription> subscribers = byStream.get(subscription.stream);
        if (subscribers == null) {
            subscribers = new LinkedHashMap<>();
            byStream.put(subscription.stream, subscribers);
            subscription.meters.streamFollowed(1);
        }
        if (subscribers.put(subscription.subscriber, subscription) == null) {
            subscription.meters.subscribed(1);
        }
        Subscription replaced = bySubscriber.computeIfAbsent(subscription.subscriber, s -> new HashMap<>())
                .put(subscription.stream, subscription);
        if (replaced == null) {
            members.joined(subscription.subscriber, subscription.stream);
        }
    }

    Subscription remove(Subscriber subscriber, StreamId stream) {
        Map<StreamId, Subscription> streams = bySubscriber.get(subscriber);
        Subscription removed = streams == null ? null : streams.remove(stream);
        if (removed != null) {
            if (streams.isEmpty()) {
                bySubscriber.remove(subscriber);
            }
            Map<Subscriber, Subscription> subscribers = byStream.get(stream);
            subscribers.remove(subscriber);
            removed.meters.subscribed(-1);
            if (subscribers.isEmpty()) {
                byStream.remove(stream);
                removed.meters.streamFollowed(-1);
            }
            members.left(subscriber, stream);
        }
        return removed;
    }

    void removeAll(Subscriber subscriber) {
        Map<StreamId, Subscription> streams = bySubscriber.get(subscriber);
        if (streams != null) {
            List.copyOf(streams.keySet()).forEach(stream -> remove(subscriber, stream));
        }
    }

    /** Every stream someone follows. */
    List<StreamId> streams() {
        return List.copyOf(byStream.keySet());
    }

    Collection<Subscription> of(StreamId stream) {
        Map<Subscriber, Subscription> subscribers = byStream.get(stream);
        return subscribers == null ? List.of() : subscribers.values();
    }

    void forEach(java.util.function.Consumer<Subscription> action) {
        byStream.values().forEach(subscribers -> subscribers.values().forEach(action));
    }
}
