package dev.rowcast.impl.cluster;

import java.util.function.BooleanSupplier;

import dev.rowcast.impl.metrics.Counter;
import dev.rowcast.impl.metrics.Histogram;
import dev.rowcast.impl.metrics.Meters;

/** Cluster mode's figures, in the registry of the rest (docs/operations.md lists them). */
final class ClusterMeters {

    /** From the relay putting a row on the log to this instance reading it; relay and reader clocks may differ. */
    final Histogram busLag;
    final Counter readErrors;
    final Counter reconnects;
    final Counter resyncs;
    private final Meters meters;

    ClusterMeters(Meters meters) {
        this.meters = meters;
        busLag = meters.histogram("rowcast_cluster_bus_lag", "From the relay putting an outbox row on the cluster log "
                + "to this instance reading it", "milliseconds");
        readErrors = meters.counter("rowcast_cluster_log_read_errors", "Failed reads of the cluster log (Redis away "
                + "or too slow); each is retried", null, null);
        reconnects = meters.counter("rowcast_cluster_log_reconnects", "Times the cluster log reader read again after "
                + "failing", null, null);
        resyncs = meters.counter("rowcast_cluster_log_resyncs", "Gaps in the cluster log (Redis lost its data, or "
                + "this instance fell behind the log's length): every followed stream resynced", null, null);
    }

    /** 1 while this instance holds the relay's lease: the sum over the cluster should be 1. */
    void leaseHeld(BooleanSupplier held) {
        meters.gauge("rowcast_cluster_relay_lease_held", "1 while this instance holds the relay lease and relays "
                + "the outbox", null, null, () -> held.getAsBoolean() ? 1 : 0);
    }
}
