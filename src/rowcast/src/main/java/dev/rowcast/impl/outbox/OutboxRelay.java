package dev.rowcast.impl.outbox;

import java.util.List;

/**
 * Cluster mode: where the outbox reader hands rows instead of to the local engine. Only the instance holding the
 * relay's lease reads; every instance learns of the changes from the relay's log.
 */
public interface OutboxRelay {

    /** The relay's name in the database's cursor table: one per cluster (its Redis key prefix). */
    String name();

    /**
     * Called before each read.
     *
     * @param stored the cursor kept in the database, for a relay that has none (first start, or Redis lost it)
     * @return the id to read after, or -1 when this instance does not hold the lease and must not read
     */
    long claim(java.util.function.LongSupplier stored);

    /** Relays one outbox transaction's rows, in id order. Throws when they could not all be relayed. */
    void relay(List<OutboxRow> transaction);

    /** Waits until this instance's engine was handed every relayed row up to {@code id}; false on timeout. */
    boolean awaitDelivered(long id, long timeoutMillis) throws InterruptedException;

    /** The outbox id this instance's engine was handed every row up to. */
    long delivered();
}
