package dev.rowcast.impl.metrics;

/** A count that only goes up. Increments are atomic and allocate nothing: they sit on hot paths. */
public interface Counter {

    void inc(long amount);

    default void inc() {
        inc(1);
    }

    long count();
}
