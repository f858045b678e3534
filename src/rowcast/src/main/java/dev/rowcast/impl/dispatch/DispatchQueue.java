package dev.rowcast.impl.dispatch;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The dispatch thread's task queue, bounded by the estimated bytes of every task waiting in it and by the number of
 * changes. Whoever cannot enqueue decides what a refusal means: a transaction's changes are dropped and its streams
 * reset, a subscribe is answered {@code rate_limited}, a snapshot result becomes {@code snapshot_unavailable}.
 * <p>
 * Waking a parked thread is a system call on the committing thread (a futex wake, often a context switch: about
 * 10 µs per commit in the write-path profile), so offering is lock-free and wakes the consumer only when it sleeps.
 * After a wait that found work the consumer does not sleep but <em>lingers</em>: it parks for {@code lingerNanos}
 * without asking to be woken, then takes everything that arrived meanwhile. Under a steady stream of commits it is
 * woken by its own timer once per batch, never by a committer; a commit after a quiet spell still wakes it at once.
 * When tasks come further apart than a linger (one commit every millisecond), it sleeps between them instead: a
 * linger would only add a wake-up of its own per task.
 * One consumer thread at a time; any number of producers.
 */
final class DispatchQueue {

    record Task(long bytes, int changes, Runnable work) {
    }

    /** One task in {@link #counts}' high half; the low half counts changes. */
    private static final long ONE_TASK = 1L << 32;
    private static final long CHANGES_MASK = ONE_TASK - 1;

    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    /** Tasks (high 32 bits) and changes (low 32 bits) queued: one atomic update per offer and per take. */
    private final AtomicLong counts = new AtomicLong();
    /** The consumer while it is parked waiting to be woken; null while it runs or lingers. */
    private final AtomicReference<Thread> sleeper = new AtomicReference<>();
    private final LongAdder wakeups = new LongAdder();
    private final long maxBytes;
    private final int maxChanges;
    private final long lingerNanos;
    /** Consumer only: work came within a linger of the last wait, so the next one lingers. */
    private boolean busy;

    DispatchQueue(long maxBytes, int maxChanges) {
        this(maxBytes, maxChanges, 0);
    }

    /** @param lingerNanos how long the consumer waits for more work, unwakeable, after a wait that found some; 0: never */
    DispatchQueue(long maxBytes, int maxChanges, long lingerNanos) {
        this.maxBytes = maxBytes;
        this.maxChanges = maxChanges;
        this.lingerNanos = Math.max(0, lingerNanos);
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
        counts.addAndGet(ONE_TASK);
        tasks.offer(new Task(taskBytes, 0, work));
        wake();
    }

    private boolean admit(long taskBytes, int taskChanges, long limit, Runnable work) {
        long queuedBytes = bytes.addAndGet(taskBytes);
        long queued = counts.addAndGet(ONE_TASK + taskChanges);
        if (queuedBytes > limit || (queued & CHANGES_MASK) > maxChanges) {
            bytes.addAndGet(-taskBytes);
            counts.addAndGet(-(ONE_TASK + taskChanges));
            return false;
        }
        tasks.offer(new Task(taskBytes, taskChanges, work));
        wake();
        return true;
    }

    /** Unparks the consumer if it sleeps; of several producers at once, one does. */
    private void wake() {
        Thread parked = sleeper.get();
        if (parked != null && sleeper.compareAndSet(parked, null)) {
            wakeups.increment();
            LockSupport.unpark(parked);
        }
    }

    /**
     * Takes the next task, waiting up to {@code timeoutNanos}: first lingering, if the last wait found work, then
     * asleep until a producer wakes it.
     *
     * @return the task, or {@code null} when none came in time
     * @throws InterruptedException if the consumer was interrupted (the flag is cleared, as by a blocking queue)
     */
    Task poll(long timeoutNanos) throws InterruptedException {
        Task task = tasks.poll();
        boolean lingerNext = task != null;
        if (task == null && busy && lingerNanos > 0 && timeoutNanos > 0) {
            long linger = Math.min(lingerNanos, timeoutNanos);
            long start = System.nanoTime();
            LockSupport.parkNanos(this, linger);
            interrupted();
            task = tasks.poll();
            lingerNext = task != null;
            timeoutNanos -= System.nanoTime() - start;
        }
        if (task == null && timeoutNanos > 0) {
            long start = System.nanoTime();
            sleeper.set(Thread.currentThread());
            // a task offered before the line above saw no sleeper: look again before parking, or it would wait
            task = tasks.poll();
            if (task == null) {
                LockSupport.parkNanos(this, timeoutNanos);
                sleeper.set(null);
                interrupted(); // before taking a task, which the throw would lose
                task = tasks.poll();
            }
            sleeper.set(null);
            // lingers next time only if tasks come that fast: for sparse ones a linger is one more wake-up for nothing
            lingerNext = task != null && System.nanoTime() - start < lingerNanos;
        }
        busy = lingerNext;
        return taken(task);
    }

    /** A park returns on interrupt and would return at once ever after: clear the flag and say so. */
    private void interrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            sleeper.set(null);
            busy = false;
            throw new InterruptedException();
        }
    }

    /** Takes the next task without waiting, or {@code null}. */
    Task poll() {
        return taken(tasks.poll());
    }

    private Task taken(Task task) {
        if (task != null) {
            bytes.addAndGet(-task.bytes());
            counts.addAndGet(-(ONE_TASK + task.changes()));
        }
        return task;
    }

    long bytes() {
        return bytes.get();
    }

    int size() {
        return (int) Math.max(0, counts.get() >> 32);
    }

    /** How often a producer had to wake the consumer: at most once per sleep, not once per task. */
    long wakeups() {
        return wakeups.sum();
    }
}
