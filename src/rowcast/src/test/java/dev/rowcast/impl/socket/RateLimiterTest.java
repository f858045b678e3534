package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void should_allow_the_burst_then_limit_then_close_after_the_strikes() {
        RateLimiter limiter = new RateLimiter(10, 3, 2, 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(RateLimiter.Verdict.ALLOW, limiter.acquire(0));
        }
        assertEquals(RateLimiter.Verdict.LIMIT, limiter.acquire(0));
        assertEquals(RateLimiter.Verdict.LIMIT, limiter.acquire(0));
        assertEquals(RateLimiter.Verdict.CLOSE, limiter.acquire(0));
    }

    @Test
    void should_refill_at_the_rate_and_forgive_strikes_once_allowed_again() {
        RateLimiter limiter = new RateLimiter(10, 1, 2, 0);
        assertEquals(RateLimiter.Verdict.ALLOW, limiter.acquire(0));
        assertEquals(RateLimiter.Verdict.LIMIT, limiter.acquire(SECOND / 20));
        assertEquals(RateLimiter.Verdict.ALLOW, limiter.acquire(SECOND / 10 + SECOND / 20));
        assertEquals(RateLimiter.Verdict.LIMIT, limiter.acquire(SECOND / 10 + SECOND / 20));
        assertEquals(RateLimiter.Verdict.LIMIT, limiter.acquire(SECOND / 10 + SECOND / 20));
        assertEquals(RateLimiter.Verdict.CLOSE, limiter.acquire(SECOND / 10 + SECOND / 20));
    }

    @Test
    void should_charge_costs_and_serve_one_larger_than_the_burst_once_the_bucket_is_full() {
        RateLimiter budget = new RateLimiter(10, 20, 0, 0);
        assertTrue(budget.allows(15, 0));
        budget.take(15);
        assertFalse(budget.allows(15, 0));
        assertFalse(budget.allows(50, 0), "a cost over the burst waits for a full bucket");
        assertTrue(budget.allows(50, 2 * SECOND));
        budget.take(50); // into debt: the next one waits it out
        assertFalse(budget.allows(1, 3 * SECOND));
        assertTrue(budget.allows(1, 6 * SECOND));
    }
}
