package dev.rowcast.impl.dispatch;

import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.spi.Viewer;

/** Where a subscription's frames go: one client socket, and who is behind it. */
public interface Subscriber {

    /**
     * Queues a frame for sending; never blocks. A frame that other subscribers get too is one {@code OutboundFrame}
     * for all of them: a socket that sends it as a message of its own reuses the bytes encoded for the first one.
     */
    void send(OutboundFrame frame);

    /** Queues a frame of this subscriber's own (an answer, an error). */
    default void send(String frame) {
        send(OutboundFrame.of(frame));
    }

    Viewer viewer();

    /** False once the socket is closing or closed: nothing may subscribe it any more. */
    boolean isOpen();

    /**
     * Counts bytes kept for this socket outside its queue (events held while its snapshot is read) against its
     * outbound bound, as if they were queued. False when that passes the bound: the socket is being closed, and
     * nothing more should be kept for it.
     */
    default boolean reserve(long bytes) {
        return true;
    }

    /** Gives back what {@link #reserve} counted. */
    default void unreserve(long bytes) {
    }

    /**
     * A frame this socket must get could not be handed over (its send threw): the socket is closed with 1011 rather
     * than left believing it follows streams that no longer reach it.
     */
    default void sendFailed(Throwable failure) {
    }

    /**
     * Whether the socket may have this much catch-up now: events replayed and snapshots read, against its
     * per-second budget. Charges the budget when it answers true.
     */
    default boolean allowCatchUp(int replayedEvents, int snapshots) {
        return true;
    }
}
