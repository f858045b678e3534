package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The hand-over watermark the outbox reader and the cluster log's reader share, and the wait on it. */
class HandOverProgressTest {

    private final HandOverProgress progress = new HandOverProgress(10);

    @Test
    void should_return_at_once_when_the_target_was_reached() throws InterruptedException {
        assertEquals(10, progress.current());
        long started = System.nanoTime();
        assertTrue(progress.awaitReached(10, 10_000));
        assertTrue(progress.awaitReached(3, 10_000));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000);
    }

    @Test
    void should_return_when_progress_passes_the_target() throws Exception {
        Waiter waiter = Waiter.parkedOn(progress, 20);
        progress.advanceTo(15);
        Thread.sleep(20);
        assertFalse(waiter.result().isDone(), "woken short of the target: still waiting");
        progress.set(25);
        assertTrue(waiter.result().get(5, TimeUnit.SECONDS));
    }

    @Test
    void should_time_out_when_progress_stays_short_of_the_target() throws InterruptedException {
        long started = System.nanoTime();
        assertFalse(progress.awaitReached(11, 100));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waitedMillis >= 95, "waited " + waitedMillis + " ms"); // the wait is counted in whole ms
        assertFalse(progress.awaitReached(11, 0));
    }

    @Test
    void should_only_move_forward_on_advance_but_anywhere_on_set() {
        progress.advanceTo(5);
        assertEquals(10, progress.current());
        progress.advanceTo(12);
        assertEquals(12, progress.current());
        progress.set(4);
        assertEquals(4, progress.current());
    }

    @Test
    void should_throw_when_the_waiting_thread_is_interrupted() throws Exception {
        Waiter waiter = Waiter.parkedOn(progress, 20);
        waiter.thread().interrupt();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> waiter.result().get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof InterruptedException, failed.getCause().toString());
    }

    @Test
    void should_throw_for_an_interrupted_caller_only_when_it_must_wait() throws InterruptedException {
        Thread.currentThread().interrupt();
        try {
            assertTrue(progress.awaitReached(10, 10_000), "reached: no wait, so no interrupt check");
            assertTrue(Thread.currentThread().isInterrupted(), "and the flag is left as it was");
            assertThrows(InterruptedException.class, () -> progress.awaitReached(11, 10_000));
            assertFalse(Thread.currentThread().isInterrupted(), "cleared by the wait, as Object.wait does");
        } finally {
            Thread.interrupted();
        }
    }

    /** A thread parked in {@code awaitReached(target, 10 s)}, and what that call ends with. */
    private record Waiter(Thread thread, CompletableFuture<Boolean> result) {

        static Waiter parkedOn(HandOverProgress progress, long target) throws Exception {
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    result.complete(progress.awaitReached(target, 10_000));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "hand-over-waiter");
            thread.setDaemon(true);
            thread.start();
            // parked first: a change made before it waits would be seen without waiting
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.TIMED_WAITING, thread.getState());
            assertFalse(result.isDone());
            return new Waiter(thread, result);
        }
    }
}
