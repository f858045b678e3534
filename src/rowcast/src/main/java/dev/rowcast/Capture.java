package dev.rowcast;

/**
 * Where Rowcast takes a {@link Reactive} entity's committed changes from. See docs/configuration.md, "Database
 * capture".
 */
public enum Capture {

    /** {@link #DATABASE} when the setting {@code rowcast.capture.database} names the channel (or is {@code *}), else
     * {@link #JPA}. */
    DEFAULT,

    /** Hibernate's flushes: writes through JPA only. */
    JPA,

    /**
     * A PostgreSQL trigger on the entity's table: every committed write, whoever makes it (bulk JPQL, native SQL,
     * other processes, other triggers), delivered through the same frames, positions and snapshots as JPA writes.
     */
    DATABASE
}
