package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
}
