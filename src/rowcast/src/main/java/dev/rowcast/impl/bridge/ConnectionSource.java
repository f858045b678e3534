package dev.rowcast.impl.bridge;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Connections to a persistence unit's database, outside any transaction, for database capture. Offered by the
 * Hibernate integrator, which knows the unit's data source, to the capture that boot starts later.
 */
public interface ConnectionSource {

    /** The persistence unit, for messages. */
    String unit();

    /** Whether the unit's dialect is PostgreSQL: database capture needs it. */
    boolean postgres();

    Connection open() throws SQLException;

    /** Returns a connection; {@code broken} asks a pool to discard it rather than hand it out again. */
    void release(Connection connection, boolean broken);
}
