package dev.rowcast.impl.bridge;

/**
 * A component whose connection Rowcast needs to deliver (a PostgreSQL capture listener, a Redis bus): while it says
 * it is not ready, the readiness check is DOWN. Components register with {@link ReadinessContributors} when they start and
 * unregister when they stop.
 */
public interface ReadinessContributor {

    /** Short and stable, for the check's data: {@code postgres-capture}. */
    String name();

    /** Cheap and non-blocking: read a flag, do not probe the connection here. */
    boolean ready();

    /** Why not ready, for operators; {@code null} when ready. */
    default String detail() {
        return null;
    }
}
