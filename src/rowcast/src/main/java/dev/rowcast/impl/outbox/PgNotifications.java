package dev.rowcast.impl.outbox;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Waits for NOTIFY on a connection of the PostgreSQL driver, unwrapped from the pool's. Its own class, so the driver
 * is only loaded where capture runs, and the reader can fall back to polling when a pool will not unwrap.
 */
final class PgNotifications {

    private final PGConnection connection;

    private PgNotifications(PGConnection connection) {
        this.connection = connection;
    }

    /** @return null when the connection is not the PostgreSQL driver's, or the driver is not visible */
    static PgNotifications of(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class)
                    ? new PgNotifications(connection.unwrap(PGConnection.class)) : null;
        } catch (SQLException | LinkageError e) {
            return null;
        }
    }

    /** Blocks up to the timeout for notifications; their payloads, in the order sent (commit order). */
    java.util.List<String> payloads(int timeoutMillis) throws SQLException {
        PGNotification[] notifications = connection.getNotifications(timeoutMillis);
        if (notifications == null) {
            return java.util.List.of();
        }
        java.util.List<String> payloads = new java.util.ArrayList<>(notifications.length);
        for (PGNotification notification : notifications) {
            payloads.add(notification.getParameter());
        }
        return payloads;
    }

    /** Blocks up to the timeout for notifications; true when any arrived. */
    boolean await(int timeoutMillis) throws SQLException {
        PGNotification[] notifications = connection.getNotifications(timeoutMillis);
        return notifications != null && notifications.length > 0;
    }
}
