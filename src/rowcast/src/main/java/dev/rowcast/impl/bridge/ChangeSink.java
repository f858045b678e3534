package dev.rowcast.impl.bridge;

import java.util.List;

/** Receives completed transactions on the committing thread. Implementations must only enqueue. */
public interface ChangeSink {

    /**
     * @param ticket the transaction's ordering ticket, 0 if it took none
     * @param changes its changes if it committed; empty if it rolled back
     * @param lost streams of committed changes the capture did not keep (past its bound), or {@code null}
     */
    void complete(long ticket, List<CapturedChange> changes, LostChanges lost);

    /**
     * As {@link #complete(long, List, LostChanges)}, with the changes' estimated bytes
     * ({@link ChangeSize#of(java.util.Collection)}) already counted by the capture, so the committing thread does not
     * count them twice.
     */
    default void complete(long ticket, List<CapturedChange> changes, long bytes, LostChanges lost) {
        complete(ticket, changes, lost);
    }

    /** How much of one transaction's changes the capture keeps; past it the transaction's streams are reset. */
    default long maxTransactionBytes() {
        return CaptureBridge.DEFAULT_MAX_TRANSACTION_BYTES;
    }

    /** Streams a {@link LostChanges} names one by one before it counts whole channels. */
    default int maxLostStreams() {
        return CaptureBridge.DEFAULT_MAX_LOST_STREAMS;
    }
}
