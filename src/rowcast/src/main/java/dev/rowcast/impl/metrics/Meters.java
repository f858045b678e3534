package dev.rowcast.impl.metrics;

import java.util.function.LongSupplier;

/**
 * Where Rowcast's counters, gauges and histograms live: only in this JVM ({@link #local()}), or also in the
 * server's MicroProfile Metrics registry (boot provides that one when the server has it). Every meter is created at
 * start or when a channel is first seen, never per user, scope value or frame.
 */
public interface Meters {

    /**
     * @param label a label name, or {@code null} for none
     * @param value the label's value; one of a small, fixed set (a channel, a close code, an error code)
     */
    Counter counter(String name, String help, String label, String value);

    /** A value read when scraped. */
    void gauge(String name, String help, String label, String value, LongSupplier reading);

    /** @param unit the unit of recorded values, as MicroProfile Metrics names it ({@code milliseconds}) */
    Histogram histogram(String name, String help, String unit);

    /** Takes every meter out of the registry, at undeploy. */
    default void close() {
    }

    /** Meters kept in this JVM only: the admin page reads them, nothing exports them. */
    static Meters local() {
        return new Meters() {
            @Override
            public Counter counter(String name, String help, String label, String value) {
                return new LocalCounter();
            }

            @Override
            public void gauge(String name, String help, String label, String value, LongSupplier reading) {
            }

            @Override
            public Histogram histogram(String name, String help, String unit) {
                return v -> {
                };
            }
        };
    }
}
