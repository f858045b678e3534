package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonValue;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * One subscriber on one stream. While its snapshot is read, the stream's events are held here instead of sent, to
 * be folded into the snapshot. Dispatch thread only.
 */
final class Subscription {

    final Subscriber subscriber;
    final StreamId stream;
    final ReactiveEntityModel model;
    /** The id of the latest subscribe request for this stream, for frames that end the subscription. */
    JsonValue requestId;
    private List<StreamEventView> held;
    /** Changes up to this position reached the subscriber another way (snapshot, replay, before it joined). */
    private Position liveAfter;

    Subscription(Subscriber subscriber, StreamId stream, ReactiveEntityModel model, JsonValue requestId) {
        this.subscriber = subscriber;
        this.stream = stream;
        this.model = model;
        this.requestId = requestId;
    }

    /** Changes up to {@code position} reached the subscriber another way; an open batch must skip them. */
    void liveAfter(Position position) {
        liveAfter = position;
    }

    /** Whether the change at {@code position} already reached the subscriber. Another epoch is a new history. */
    boolean hasSeen(Position position) {
        return liveAfter != null && liveAfter.epoch().equals(position.epoch()) && position.seq() <= liveAfter.seq();
    }

    /** Sends the event as this subscriber may see it, or holds it while the snapshot is read. */
    void deliver(StreamEventView event) {
        if (held != null) {
            held.add(event);
        } else {
            subscriber.send(event.frameFor(subscriber.viewer()));
        }
    }

    /** Holds the event for the snapshot; a batched stream sends the rest in its batch frame. */
    void holdIfAwaitingSnapshot(StreamEventView event) {
        if (held != null) {
            held.add(event);
        }
    }

    void holdUntilSnapshot() {
        held = new ArrayList<>();
    }

    boolean awaitsSnapshot() {
        return held != null;
    }

    /** Ends holding and returns what was held. */
    List<StreamEventView> release() {
        List<StreamEventView> released = held == null ? List.of() : held;
        held = null;
        return released;
    }
}
