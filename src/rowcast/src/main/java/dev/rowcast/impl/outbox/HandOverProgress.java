package dev.rowcast.impl.outbox;

import java.util.concurrent.TimeUnit;

/**
 * The outbox id up to which a reader has handed every row to the engine, for callers that wait until it has passed an
 * id (a snapshot's watermark). The local outbox reader keeps one, and so does each instance's reader of the cluster
 * relay's log. Public only for that second reader (package {@code cluster}).
 */
public final class HandOverProgress {

    private final Object lock = new Object();
    private long id;

    /** @param start the id every row up to which counts as handed over already */
    public HandOverProgress(long start) {
        this.id = start;
    }

    /** The id every row up to which has been handed over. */
    public long current() {
        synchronized (lock) {
            return id;
        }
    }

    /** Moves to {@code to}, back too (a relay's claim may restart from its stored cursor), and wakes the waiters. */
    public void set(long to) {
        synchronized (lock) {
            id = to;
            lock.notifyAll();
        }
    }

    /** Moves to {@code to} only if that is further, and then wakes the waiters. */
    public void advanceTo(long to) {
        synchronized (lock) {
            if (to > id) {
                id = to;
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until every row up to {@code target} has been handed over.
     *
     * @return false when the wait timed out
     * @throws InterruptedException when interrupted while waiting; the caller decides what that means
     */
    public boolean awaitReached(long target, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (id < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }
}
