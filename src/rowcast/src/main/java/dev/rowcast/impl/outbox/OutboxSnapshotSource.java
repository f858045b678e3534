package dev.rowcast.impl.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.rowcast.impl.bridge.ConnectionSource;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.model.SnapshotSource;

/**
 * A captured channel's snapshot: the rows, read as before, returned only once the reader has handed over every
 * outbox row visible after the read. Any write the read saw committed before the read ended, so its outbox id is at
 * most that watermark; the engine's ticket taken after this returns is then at least that write's ticket, and the
 * snapshot joins the stream at one position exactly as for JPA writes.
 */
final class OutboxSnapshotSource implements SnapshotSource {

    private static final Logger LOG = Logger.getLogger(OutboxSnapshotSource.class.getName());

    private final SnapshotSource rows;
    private final ConnectionSource database;
    private final Watermark reader;
    private final long timeoutMillis;

    /** How far the engine was handed the outbox: the local reader's, or in cluster mode the relay log's. */
    interface Watermark {
        boolean awaitHandedOver(long id, long timeoutMillis) throws InterruptedException;

        long cursorNow();
    }

    OutboxSnapshotSource(SnapshotSource rows, ConnectionSource database, Watermark reader, long timeoutMillis) {
        this.rows = rows;
        this.database = database;
        this.reader = reader;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public List<Map<String, Object>> read(ScopeModel scope, Object value) {
        List<Map<String, Object>> read = rows.read(scope, value);
        long watermark = head();
        try {
            if (!reader.awaitHandedOver(watermark, timeoutMillis)) {
                LOG.warning(() -> "ROWCAST-035: a snapshot waited " + timeoutMillis + " ms for the outbox reader to "
                        + "reach id " + watermark + " (it is at " + reader.cursorNow() + "); sent without waiting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the outbox reader", e);
        }
        return read;
    }

    private long head() {
        Connection connection = null;
        boolean broken = false;
        try {
            connection = database.open();
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(OutboxSql.HEAD)) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            broken = true;
            throw new IllegalStateException("Rowcast: cannot read the outbox head for a snapshot", e);
        } finally {
            if (connection != null) {
                database.release(connection, broken);
            }
        }
    }
}
