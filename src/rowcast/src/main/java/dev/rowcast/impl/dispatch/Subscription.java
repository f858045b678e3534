package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.List;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * One subscriber on one stream. While its snapshot is read, the stream's changes are held here instead of sent, to
 * be folded into the snapshot. Dispatch thread only.
 */
final class Subscription {

    /** A change held during the snapshot read; {@code type} is its event type on this stream. */
    record Held(EntityChange change, String type, String frame) {
    }

    final Subscriber subscriber;
    final StreamId stream;
    final ReactiveEntityModel model;
    private List<Held> held;
    /** Changes up to this position reached the subscriber another way (snapshot, replay, before it joined). */
    private Position liveAfter;

    Subscription(Subscriber subscriber, StreamId stream, ReactiveEntityModel model) {
        this.subscriber = subscriber;
        this.stream = stream;
        this.model = model;
    }

    /** Changes up to {@code position} reached the subscriber another way; an open batch must skip them. */
    void liveAfter(Position position) {
        liveAfter = position;
    }

    /** Whether the change at {@code position} already reached the subscriber. Another epoch is a new history. */
    boolean hasSeen(Position position) {
        return liveAfter != null && liveAfter.epoch().equals(position.epoch()) && position.seq() <= liveAfter.seq();
    }

    void deliver(EntityChange change, String type, String frame) {
        if (held != null) {
            held.add(new Held(change, type, frame));
        } else {
            subscriber.send(frame);
        }
    }

    void holdUntilSnapshot() {
        held = new ArrayList<>();
    }

    boolean awaitsSnapshot() {
        return held != null;
    }

    /** Ends holding and returns what was held. */
    List<Held> release() {
        List<Held> released = held == null ? List.of() : held;
        held = null;
        return released;
    }
}
