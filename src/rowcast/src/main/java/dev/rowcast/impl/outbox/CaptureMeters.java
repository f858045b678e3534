package dev.rowcast.impl.outbox;

import dev.rowcast.impl.metrics.Counter;
import dev.rowcast.impl.metrics.Histogram;
import dev.rowcast.impl.metrics.Meters;

/**
 * The capture listener's figures (docs/operations.md): no labels, so three series per instance however many tables
 * are captured.
 */
final class CaptureMeters {

    final Counter reconnects;
    final Counter catchUpRows;
    final Histogram lag;

    CaptureMeters(Meters meters) {
        reconnects = meters.counter("rowcast_capture_listener_reconnects", "Times the database capture listener "
                + "connected again after losing its connection", null, null);
        catchUpRows = meters.counter("rowcast_capture_catch_up_rows", "Outbox rows read by the first read after "
                + "such a reconnect: what was committed while the listener was away", null, null);
        lag = meters.histogram("rowcast_capture_lag", "From a captured transaction's commit to its outbox rows being "
                + "read, on the database's clock; once per transaction", "milliseconds");
    }
}
