package dev.rowcast.impl.dispatch;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.rowcast.impl.config.RowcastSettings;

/**
 * The dispatch thread's task queue, bounded by the estimated bytes of every task waiting in it and by the number of
 * changes. Whoever cannot enqueue decides what a refusal means: a transaction's changes are dropped and its streams
 * reset, a subscribe is answered {@code rate_limited}, a snapshot result becomes {@code snapshot_unavailable}.
 * <p>
 * Waking a parked thread is a system call on the committing thread (a futex wake, often a context switch: about
 * 10 µs per commit in the write-path profile), so offering is lock-free and wakes the consumer only when it sleeps.
 * When the consumer runs out of work it does not sleep at once but <em>lingers</em>: it parks for {@code lingerNanos}
 * at a time without asking to be woken, and takes what arrived meanwhile as one batch, until {@code windowNanos}
 * have passed without work. Commits that come closer together than the window are then never woken for; the
 * consumer pays one timer wake-up of its own per step instead (which on two cores costs the committing path more than
 * the wakes it saves: docs/benchmarks.md, finding 7, so the window defaults to one step). A task that finds it asleep
 * after a quiet spell still wakes it at once. Tasks further apart than the window are sparse: the consumer then
 * sleeps right after each, as a linger would only add wake-ups of its own.
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
    private final long windowNanos;
    /** Consumer only: the last task came within the window after work ran out, so running out again lingers. */
    private boolean lingering;
    /** Consumer only: the queue was found empty since the last task was taken, at {@link #idleSinceNanos}. */
    private boolean idle = true;
    private long idleSinceNanos;

    /** The engine's queue, bounded and lingering as the settings say. */
    static DispatchQueue of(RowcastSettings settings) {
        RowcastSettings.EngineLimits limits = settings.engine();
        return new DispatchQueue(limits.dispatchMaxQueuedBytes(), settings.dispatchQueueCapacity(),
                TimeUnit.MICROSECONDS.toNanos(limits.dispatchBatchWaitMicros()),
                TimeUnit.MICROSECONDS.toNanos(limits.dispatchLingerWindowMicros()));
    }

    DispatchQueue(long maxBytes, int maxChanges) {
        this(maxBytes, maxChanges, 0, 0);
    }

    /**
     * @param lingerNanos one unwakeable wait for more work once the queue ran out; 0: the consumer never lingers
     * @param windowNanos how long after running out of work the consumer keeps lingering before it sleeps; at least
     *        one linger
     */
    DispatchQueue(long maxBytes, int maxChanges, long lingerNanos, long windowNanos) {
        this.maxBytes = maxBytes;
        this.maxChanges = maxChanges;
        this.lingerNanos = Math.max(0, lingerNanos);
        this.windowNanos = Math.max(this.lingerNanos, windowNanos);
        this.idleSinceNanos = System.nanoTime() - this.windowNanos; // a first task is sparse: nothing came before it
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
     * Takes the next task, waiting up to {@code timeoutNanos}: first lingering, if the last task came soon enough
     * after work last ran out, then asleep until a producer wakes it.
     *
     * @return the task, or {@code null} when none came in time
     * @throws InterruptedException if the consumer was interrupted (the flag is cleared, as by a blocking queue)
     */
    Task poll(long timeoutNanos) throws InterruptedException {
        Task task = tasks.poll();
        boolean foundLingering = false;
        if (task == null && timeoutNanos > 0) {
            long now = System.nanoTime();
            if (!idle) {
                idle = true;
                idleSinceNanos = now;
            }
            // a timeout (the caller's deadline) may end a linger early; the next call goes on where it stopped
            while (lingering && task == null && timeoutNanos > 0 && now - idleSinceNanos < windowNanos) {
                LockSupport.parkNanos(this, Math.min(lingerNanos, timeoutNanos));
                interrupted();
                task = tasks.poll();
                foundLingering = task != null;
                long later = System.nanoTime();
                timeoutNanos -= later - now;
                now = later;
            }
            if (task == null && timeoutNanos > 0) {
                task = sleep(timeoutNanos);
            }
        }
        if (task != null && idle) {
            idle = false;
            // a task found by a linger came within it, however long the park overshot; a woken one came just now
            lingering = lingerNanos > 0
                    && (foundLingering || System.nanoTime() - idleSinceNanos < windowNanos);
        }
        return taken(task);
    }

    /** Parks until a producer wakes it or the timeout passes. */
    private Task sleep(long timeoutNanos) throws InterruptedException {
        sleeper.set(Thread.currentThread());
        // a task offered before the line above saw no sleeper: look again before parking, or it would wait
        Task task = tasks.poll();
        if (task == null) {
            LockSupport.parkNanos(this, timeoutNanos);
            sleeper.set(null);
            interrupted(); // before taking a task, which the throw would lose
            task = tasks.poll();
        }
        sleeper.set(null);
        return task;
    }

    /** A park returns on interrupt and would return at once ever after: clear the flag and say so. */
    private void interrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            sleeper.set(null);
            lingering = false;
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

    long lingerNanos() {
        return lingerNanos;
    }

    long windowNanos() {
        return windowNanos;
    }

    /** How often a producer had to wake the consumer: at most once per sleep, not once per task. */
    long wakeups() {
        return wakeups.sum();
    }
}
