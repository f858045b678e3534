package dev.rowcast.impl.socket;

/**
 * A token bucket for one connection's inbound messages: {@code ratePerSecond} sustained, {@code burst} at once.
 * Text, binary and unsolicited pong frames all draw on it; the container delivers them one at a time per socket, and
 * the lock only makes that independent of the container.
 */
final class RateLimiter {

    enum Verdict { ALLOW, LIMIT, CLOSE }

    private final double ratePerNano;
    private final double burst;
    private final int maxStrikes;
    private double tokens;
    private long lastNanos;
    private int strikes;

    /** @param maxStrikes refused messages in a row after which the connection is closed */
    RateLimiter(int ratePerSecond, int burst, int maxStrikes, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.maxStrikes = maxStrikes;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    synchronized Verdict acquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens--;
            strikes = 0;
            return Verdict.ALLOW;
        }
        return ++strikes > maxStrikes ? Verdict.CLOSE : Verdict.LIMIT;
    }

    /**
     * For work whose cost is known only when it is asked for (catch-up): whether the bucket holds the cost, or is
     * full when the cost is larger than the burst, so a big request is served once the bucket is full. Counts no
     * strikes; {@link #take} charges it.
     */
    synchronized boolean allows(double cost, long nowNanos) {
        refill(nowNanos);
        return tokens >= Math.min(cost, burst);
    }

    /** Charges a cost {@link #allows} granted; the bucket may go below zero, which later requests wait out. */
    synchronized void take(double cost) {
        tokens -= cost;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
    }
}
