package dev.rowcast.impl.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A counter in this JVM: a {@link LongAdder}, so threads that count at once do not contend. */
public final class LocalCounter implements Counter {

    private final LongAdder count = new LongAdder();

    @Override
    public void inc(long amount) {
        count.add(amount);
    }

    @Override
    public long count() {
        return count.sum();
    }
}
