package dev.rowcast.impl.socket;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write to sockets. The dispatch thread only queues a frame and, when the socket was idle, hands its
 * pump to one of these; so fan-out is spread over every core, and per-socket order holds because a socket has at most
 * one pump at a time ({@link ClientConnection}). A pump sends at most {@link #fairShare()} messages before it yields
 * its thread to the other sockets waiting.
 */
public final class Senders {

    /** Messages one pump sends before it goes to the back of the line. */
    private static final int FAIR_SHARE = 16;

    private final Executor executor;
    private final ExecutorService pool;
    private final int fairShare;

    private Senders(Executor executor, ExecutorService pool, int fairShare) {
        this.executor = executor;
        this.pool = pool;
        this.fairShare = fairShare;
    }

    /** Pumps run on the thread that queued the frame: for tests, and the behaviour before the pool. */
    static Senders inline() {
        return new Senders(Runnable::run, null, Integer.MAX_VALUE);
    }

    /**
     * @param threads how many sockets are written at once
     * @param factory the container's thread factory
     */
    public static Senders start(int threads, ThreadFactory factory) {
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = factory.newThread(runnable);
                    thread.setName("rowcast-sender-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.prestartAllCoreThreads();
        return new Senders(pool, pool, FAIR_SHARE);
    }

    /**
     * Runs a pump on a sender thread. Its queue is unbounded in tasks, but holds at most one task per socket (a
     * socket's pump is queued only when none is running or queued), so it is bounded by the open sockets.
     */
    void execute(Runnable pump) {
        try {
            executor.execute(pump);
        } catch (RejectedExecutionException e) {
            pump.run(); // stopping: the last frames (a close's) still go out, on this thread
        }
    }

    int fairShare() {
        return fairShare;
    }

    public void stop() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
