package dev.rowcast.impl.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram in this JVM with fixed bucket bounds, for the admin page's percentiles: recording is a short scan and
 * one atomic add, no allocation. Readers diff two {@link #counts()} to see one interval.
 */
public final class Buckets implements Histogram {

    private final long[] bounds;
    private final LongAdder[] counts;

    /** @param bounds each bucket's inclusive upper bound, ascending; one more bucket takes everything above */
    public Buckets(long... bounds) {
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    @Override
    public void record(long value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts[i].increment();
    }

    /** The count of each bucket so far; the last one is above every bound. */
    public long[] counts() {
        long[] now = new long[counts.length];
        for (int i = 0; i < now.length; i++) {
            now[i] = counts[i].sum();
        }
        return now;
    }

    /**
     * The upper bound of the bucket that holds the {@code quantile} of the values counted between two readings,
     * -1 when none were, {@link Long#MAX_VALUE} when it is above every bound.
     */
    public long quantile(long[] before, long[] after, double quantile) {
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            total += after[i] - before[i];
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < after.length; i++) {
            seen += after[i] - before[i];
            if (seen >= rank) {
                return i < bounds.length ? bounds[i] : Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }
}
