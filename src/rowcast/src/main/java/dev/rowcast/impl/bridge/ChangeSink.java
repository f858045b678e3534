package dev.rowcast.impl.bridge;

import java.util.List;

/** Receives completed transactions on the committing thread. Implementations must only enqueue. */
public interface ChangeSink {

    /**
     * @param ticket the transaction's ordering ticket, 0 if it took none
     * @param changes its changes if it committed; empty if it rolled back
     */
    void complete(long ticket, List<CapturedChange> changes);
}
