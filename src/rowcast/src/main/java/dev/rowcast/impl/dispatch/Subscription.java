package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonValue;

import dev.rowcast.impl.metrics.ChannelMeters;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * One subscriber on one stream. While its snapshot is read, the stream's events are held here instead of sent, to
 * be folded into the snapshot; what is held counts against the socket's outbound bound. Dispatch thread only.
 */
final class Subscription {

    final Subscriber subscriber;
    final StreamId stream;
    final ReactiveEntityModel model;
    /** The id of the latest subscribe request for this stream, for frames that end the subscription. */
    JsonValue requestId;
    private List<StreamEventView> held;
    private long heldBytes;
    /** Holding passed the socket's bound: the socket is being closed and its snapshot must not be sent. */
    private boolean heldOverflow;
    /** Changes up to this position reached the subscriber another way (snapshot, replay, before it joined). */
    private Position liveAfter;
    /** Which snapshot read is current: a resync starts another, and the earlier one's result is ignored. */
    private int snapshotRound;
    /** Its channel's figures; set when it joins the registry. */
    ChannelMeters meters;

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

    /** Whether the subscriber knows the epoch of {@code position}: false when the store changed it underneath. */
    boolean knowsEpoch(Position position) {
        return liveAfter == null || liveAfter.epoch().equals(position.epoch());
    }

    /** Sends the event as this subscriber may see it, or holds it while the snapshot is read. */
    void deliver(StreamEventView event) {
        if (held != null) {
            hold(event);
        } else {
            send(event.frameFor(subscriber.viewer()));
        }
    }

    /** Sends one of the stream's frames (change, batch, snapshot, replayed change), counted for its channel. */
    void send(String frame) {
        send(OutboundFrame.of(frame));
    }

    /** As {@link #send(String)}, for a frame other subscribers get too. */
    void send(OutboundFrame frame) {
        ChannelMeters channel = meters;
        if (channel != null) {
            channel.sent(frame.length());
        }
        subscriber.send(frame);
    }

    /** Holds the event for the snapshot; a batched stream sends the rest in its batch frame. */
    void holdIfAwaitingSnapshot(StreamEventView event) {
        if (held != null) {
            hold(event);
        }
    }

    private void hold(StreamEventView event) {
        if (heldOverflow) {
            return;
        }
        if (!subscriber.reserve(event.frameBytes())) {
            heldOverflow = true; // the socket is closing for it; keep nothing more
            held.clear();
            subscriber.unreserve(heldBytes);
            heldBytes = 0;
            return;
        }
        held.add(event);
        heldBytes += event.frameBytes();
    }

    /** Starts holding for a new snapshot read and returns its round. */
    int holdUntilSnapshot() {
        release();
        held = new ArrayList<>();
        return ++snapshotRound;
    }

    boolean awaitsSnapshot() {
        return held != null;
    }

    boolean isRound(int round) {
        return held != null && round == snapshotRound;
    }

    /** Whether holding passed the socket's bound, so what was held is incomplete. */
    boolean heldOverflow() {
        return heldOverflow;
    }

    /** Ends holding and returns what was held; what it counted against the socket is given back. */
    List<StreamEventView> release() {
        List<StreamEventView> released = held == null ? List.of() : held;
        held = null;
        heldOverflow = false;
        if (heldBytes > 0) {
            subscriber.unreserve(heldBytes);
            heldBytes = 0;
        }
        return released;
    }
}
