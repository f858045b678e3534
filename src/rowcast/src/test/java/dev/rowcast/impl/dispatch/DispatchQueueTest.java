package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.rowcast.impl.config.RowcastSettings;

class DispatchQueueTest {

    private static final Runnable NOTHING = () -> {
    };

    @Test
    void should_bound_queued_tasks_in_bytes_and_changes_and_give_back_what_is_taken() {
        DispatchQueue queue = new DispatchQueue(1_000, 3);
        assertTrue(queue.offer(600, 2, NOTHING));
        assertFalse(queue.offer(500, 0, NOTHING), "past the bytes");
        assertFalse(queue.offer(100, 2, NOTHING), "past the changes");
        assertTrue(queue.offer(400, 1, NOTHING));
        assertEquals(1_000, queue.bytes());
        assertTrue(queue.offerTicket(100, NOTHING), "a bare ticket may use an eighth more");
        assertFalse(queue.offerTicket(100, NOTHING));
        queue.force(50, NOTHING);
        assertEquals(4, queue.size(), "forced work is never refused");
        queue.poll();
        assertEquals(550, queue.bytes());
        assertTrue(queue.offer(100, 2, NOTHING));
    }

    @Test
    void should_take_its_wait_and_window_from_the_settings() {
        DispatchQueue standard = DispatchQueue.of(RowcastSettings.read(name -> null));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(200), standard.lingerNanos());
        assertEquals(standard.lingerNanos(), standard.windowNanos(), "off by default: one wait");

        DispatchQueue windowed = DispatchQueue.of(RowcastSettings.read(Map.of(
                RowcastSettings.DISPATCH_BATCH_WAIT_MICROS, "100",
                RowcastSettings.DISPATCH_LINGER_WINDOW_MICROS, "2000")::get));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(100), windowed.lingerNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2), windowed.windowNanos());
    }

    @Test
    void should_wake_a_sleeping_consumer_once_however_many_tasks_arrive() throws Exception {
        DispatchQueue queue = new DispatchQueue(1_000_000, 1_000, TimeUnit.SECONDS.toNanos(60), 0);
        CompletableFuture<DispatchQueue.Task> taken = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                taken.complete(queue.poll(TimeUnit.MINUTES.toNanos(10)));
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        });
        consumer.start();
        awaitParkedOn(queue, consumer); // nothing came before: it sleeps (no linger before any work)

        Runnable first = () -> {
        };
        queue.offer(10, 1, first);
        queue.offer(10, 1, NOTHING);
        queue.offer(10, 1, NOTHING);
        assertSame(first, taken.get(60, TimeUnit.SECONDS).work());
        assertEquals(1, queue.wakeups(), "one wake for the sleep, not one per task");
        assertEquals(2, queue.size());
    }

    @Test
    void should_not_be_woken_by_tasks_offered_while_it_lingers_after_work() throws Exception {
        DispatchQueue queue = new DispatchQueue(1_000_000, 1_000, TimeUnit.SECONDS.toNanos(60), 0);
        becomeLingering(queue);
        CompletableFuture<Throwable> lingered = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                queue.poll(TimeUnit.MINUTES.toNanos(10)); // out of work again: lingers for 60 s
                lingered.complete(null);
            } catch (Throwable e) {
                lingered.complete(e);
            }
        });
        consumer.start();
        awaitParkedOn(queue, consumer);

        Runnable second = () -> {
        };
        queue.offer(10, 1, second);
        queue.offer(10, 1, NOTHING);
        assertEquals(0, queue.wakeups(), "a lingering consumer takes them when its wait ends, unwoken");

        consumer.interrupt(); // ends the test's 60 s linger; an interrupt is reported and loses no task
        assertTrue(lingered.get(60, TimeUnit.SECONDS) instanceof InterruptedException);
        assertFalse(consumer.isInterrupted());
        assertSame(second, queue.poll().work());
        assertEquals(1, queue.size());
    }

    @Test
    @Timeout(120)
    void should_keep_lingering_through_the_window_so_that_tasks_further_apart_than_one_wait_wake_nobody()
            throws Exception {
        // one writer on PostgreSQL commits about every 0.5 ms, more than one 0.2 ms wait apart
        DispatchQueue queue = new DispatchQueue(1_000_000, 1_000, TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.SECONDS.toNanos(30));
        becomeLingering(queue);
        takeTasksOfferedApart(queue, 20, TimeUnit.MILLISECONDS.toNanos(5));
        assertEquals(0, queue.wakeups(), "each task came within the window after work ran out");
    }

    @Test
    @Timeout(120)
    void should_go_on_lingering_when_every_linger_finds_work() throws Exception {
        // the default window is one wait: a task found at the end of that wait (the park always takes the whole wait)
        // still came within it, so the next wait lingers too, and a steady stream of commits never wakes the consumer
        DispatchQueue queue = new DispatchQueue(1_000_000, 1_000, TimeUnit.MILLISECONDS.toNanos(200), 0);
        becomeLingering(queue);
        takeTasksOfferedApart(queue, 60, TimeUnit.MILLISECONDS.toNanos(5));
        assertEquals(0, queue.wakeups(), "each linger found the tasks that came during it");
    }

    @Test
    @Timeout(120)
    void should_sleep_and_be_woken_for_tasks_further_apart_than_the_window() throws Exception {
        // the same tasks, with a window of one wait: the consumer sleeps between them and each wakes it
        DispatchQueue queue = new DispatchQueue(1_000_000, 1_000, TimeUnit.MILLISECONDS.toNanos(1), 0);
        becomeLingering(queue);
        takeTasksOfferedApart(queue, 20, TimeUnit.MILLISECONDS.toNanos(5));
        assertTrue(queue.wakeups() >= 10, "asleep between tasks 5 ms apart: " + queue.wakeups());
    }

    @Test
    void should_go_on_lingering_after_a_wait_that_its_caller_cut_short() throws Exception {
        DispatchQueue queue = new DispatchQueue(1_000_000, 1_000, TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.SECONDS.toNanos(30));
        becomeLingering(queue);
        assertNull(queue.poll(TimeUnit.MILLISECONDS.toNanos(3)), "the caller's deadline, inside the window");
        takeTasksOfferedApart(queue, 3, TimeUnit.MILLISECONDS.toNanos(5));
        assertEquals(0, queue.wakeups(), "the window was still open: the next wait lingered again");
    }

    /**
     * Takes a task (the first is sparse: nothing came before it), runs out of work, then takes a task at once: it came
     * within the window, so the next wait lingers.
     */
    private static void becomeLingering(DispatchQueue queue) throws InterruptedException {
        queue.offer(10, 1, NOTHING);
        assertNotNull(queue.poll(TimeUnit.SECONDS.toNanos(60)));
        assertNull(queue.poll(TimeUnit.MILLISECONDS.toNanos(1)));
        queue.offer(10, 1, NOTHING);
        assertNotNull(queue.poll(TimeUnit.SECONDS.toNanos(60)));
    }

    /** Takes, on this thread, {@code count} tasks that another thread offers {@code gapNanos} apart. */
    private static void takeTasksOfferedApart(DispatchQueue queue, int count, long gapNanos) throws Exception {
        Thread producer = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                LockSupport.parkNanos(gapNanos);
                queue.offer(10, 1, NOTHING);
            }
        });
        producer.start();
        for (int i = 0; i < count; i++) {
            assertNotNull(queue.poll(TimeUnit.SECONDS.toNanos(60)), "task " + i);
        }
        producer.join();
    }

    @Test
    @Timeout(120)
    void should_lose_no_wake_up_between_many_producers_and_a_sleeping_consumer() throws Exception {
        // a lost wake-up would leave the consumer asleep with tasks queued, past the test's timeout
        DispatchQueue queue = new DispatchQueue(Long.MAX_VALUE, Integer.MAX_VALUE, TimeUnit.MICROSECONDS.toNanos(20),
                TimeUnit.MICROSECONDS.toNanos(100));
        int producers = 4;
        int each = 20_000;
        AtomicInteger ran = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    queue.offer(1, 1, ran::incrementAndGet);
                    if (i % 64 == 0) {
                        LockSupport.parkNanos(50_000); // pauses, so that the consumer goes to sleep often
                    }
                }
            });
            threads.add(producer);
            producer.start();
        }
        for (int done = 0; done < producers * each; ) {
            DispatchQueue.Task task = queue.poll(TimeUnit.HOURS.toNanos(1));
            if (task != null) {
                task.work().run();
                done++;
            }
        }
        for (Thread producer : threads) {
            producer.join();
        }
        assertEquals(producers * each, ran.get());
        assertEquals(0, queue.size());
        assertEquals(0, queue.bytes());
        assertTrue(queue.wakeups() <= producers * each, "at most one wake per task: " + queue.wakeups());
    }

    @Test
    void should_clear_an_interrupt_of_a_sleeping_consumer_and_report_it() {
        DispatchQueue queue = new DispatchQueue(1_000, 10, 0, 0);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> queue.poll(TimeUnit.SECONDS.toNanos(60)));
        assertFalse(Thread.currentThread().isInterrupted(), "left set, every later wait would return at once");
    }

    /** Waits (bounded) until the consumer is parked inside the queue's poll. */
    private static void awaitParkedOn(DispatchQueue queue, Thread consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (LockSupport.getBlocker(consumer) != queue) {
            assertTrue(System.nanoTime() < deadline && consumer.isAlive(), "the consumer never parked");
            LockSupport.parkNanos(1_000_000);
        }
    }
}
