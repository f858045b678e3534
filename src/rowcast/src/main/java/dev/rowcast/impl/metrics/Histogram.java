package dev.rowcast.impl.metrics;

/** A distribution of values, in the unit its name says. Recording allocates nothing in the local implementation. */
public interface Histogram {

    void record(long value);
}
