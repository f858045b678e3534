package dev.rowcast.impl.dispatch;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatch thread's task queue, bounded by the estimated bytes of every task waiting in it and by the number of
 * changes. Whoever cannot enqueue decides what a refusal means: a transaction's changes are dropped and its streams
 * reset, a subscribe is answered {@code rate_limited}, a snapshot result becomes {@code snapshot_unavailable}.
 */
final class DispatchQueue {

    record Task(long bytes, int changes, Runnable work) {
    }

    private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger changes = new AtomicInteger();
    private final long maxBytes;
    private final int maxChanges;

    DispatchQueue(long maxBytes, int maxChanges) {
        this.maxBytes = maxBytes;
        this.maxChanges = maxChanges;
    }

    /** Enqueues the task if it fits both bounds. */
    boolean offer(long taskBytes, int taskChanges, Runnable work) {
        return admit(taskBytes, taskChanges, maxBytes, work);
    }

    /**
     * Enqueues a transaction's bare ticket: small, and skipping it would hold later transactions back for the
     * commit-order timeout, so it may use an eighth more than the bound.
     */
    boolean offerTicket(long taskBytes, Runnable work) {
        return admit(taskBytes, 0, maxBytes + maxBytes / 8, work);
    }

    /** Enqueues whatever the bounds say: for tasks bounded elsewhere (one disconnect per socket). */
    void force(long taskBytes, Runnable work) {
        bytes.addAndGet(taskBytes);
        tasks.add(new Task(taskBytes, 0, work));
    }

    private boolean admit(long taskBytes, int taskChanges, long limit, Runnable work) {
        long queuedBytes = bytes.addAndGet(taskBytes);
        int queuedChanges = changes.addAndGet(taskChanges);
        if (queuedBytes > limit || queuedChanges > maxChanges) {
            bytes.addAndGet(-taskBytes);
            changes.addAndGet(-taskChanges);
            return false;
        }
        tasks.add(new Task(taskBytes, taskChanges, work));
        return true;
    }

    Task poll(long timeoutNanos) throws InterruptedException {
        return taken(tasks.poll(timeoutNanos, TimeUnit.NANOSECONDS));
    }

    Task poll() {
        return taken(tasks.poll());
    }

    private Task taken(Task task) {
        if (task != null) {
            bytes.addAndGet(-task.bytes());
            changes.addAndGet(-task.changes());
        }
        return task;
    }

    long bytes() {
        return bytes.get();
    }

    int size() {
        return tasks.size();
    }
}
