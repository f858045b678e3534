package dev.rowcast.impl.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ConnectionSource;
import dev.rowcast.impl.bridge.LostChanges;
import dev.rowcast.impl.bridge.ReadinessContributor;

/**
 * Reads the outbox on its own thread and connection: LISTEN, then {@code id > cursor} in id (commit) order when
 * woken and every second anyway. Each outbox transaction becomes one completed transaction for the engine, with a
 * ticket taken in outbox order. The cursor lives in memory: after a dropped connection the reader reconnects with
 * backoff and reads on from it, so nothing committed meanwhile is lost. This is the part a cluster relay replaces.
 */
final class OutboxReader implements Runnable, ReadinessContributor, OutboxSnapshotSource.Watermark {

    private static final Logger LOG = Logger.getLogger(OutboxReader.class.getName());
    static final String APPLICATION_NAME = "rowcast-outbox";
    private static final int PAGE = 500;
    private static final int IDLE_WAIT_MILLIS = 1_000;
    private static final long PRUNE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ConnectionSource database;
    private final OutboxDecoder decoder;
    private final CaptureMeters meters;
    /** Set by a reconnect: the next read is the catch-up, counted as such. */
    private boolean catchingUp;
    /** Cluster mode: rows go to the relay, and only while this instance holds its lease. */
    private final OutboxRelay relay;
    private long storedRelayCursor = -1;
    /** Logged once per Redis outage, not once per retry. */
    private boolean relayDown;
    private final int retentionSeconds;
    /** 0: woken by NOTIFY; more: polling mode, the trigger sends no NOTIFY and the outbox is read this often. */
    private final int pollMillis;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Whether the reader holds a listening connection; readiness is DOWN while it does not. */
    private volatile boolean connected;
    /** Every outbox row up to this id has been handed to the engine. */
    private final HandOverProgress cursor;
    private long lastPrune;

    OutboxReader(ConnectionSource database, OutboxDecoder decoder, int retentionSeconds, int pollMillis,
            long startCursor, OutboxRelay relay, CaptureMeters meters) {
        this.pollMillis = pollMillis;
        this.database = database;
        this.meters = meters;
        this.relay = relay;
        this.decoder = decoder;
        this.retentionSeconds = retentionSeconds;
        this.cursor = new HandOverProgress(startCursor);
        this.lastPrune = System.nanoTime();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long backoff = 100;
        boolean failed = false;
        while (running) {
            Connection connection = null;
            boolean broken = false;
            try {
                connection = database.open();
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    // names the session, so operators (and tests) can find it in pg_stat_activity
                    statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
                    if (pollMillis == 0) {
                        statement.execute("LISTEN " + OutboxSql.CHANNEL);
                    }
                }
                connected = true;
                if (failed) {
                    LOG.info(() -> "Rowcast: outbox reader reconnected; reading on after id " + cursorNow());
                    failed = false;
                    meters.reconnects.inc();
                    catchingUp = true;
                }
                backoff = 100;
                PgNotifications notifications = pollMillis == 0 ? PgNotifications.of(connection) : null;
                if (notifications == null && pollMillis == 0) {
                    LOG.warning("ROWCAST-033: the connection does not unwrap to the PostgreSQL driver's; the outbox is "
                            + "polled every 250 ms instead of woken by NOTIFY.");
                }
                while (running) {
                    if (relay == null || claim(connection)) {
                        readAll(connection);
                        prune(connection);
                    }
                    if (notifications != null) {
                        notifications.await(IDLE_WAIT_MILLIS);
                    } else {
                        Thread.sleep(pollMillis > 0 ? pollMillis : 250);
                    }
                }
            } catch (RelayFailure e) {
                // Redis, not the database: the connection is fine; read again from the relay's cursor
                if (running) {
                    if (!relayDown) {
                        LOG.log(Level.WARNING, "ROWCAST-059: the cluster relay cannot reach Redis; retrying. Commits stay "
                                + "in the outbox meanwhile", e.getCause());
                    }
                    relayDown = true;
                    CaptureThreads.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            } catch (SQLException | RuntimeException e) {
                broken = true;
                connected = false;
                if (running) {
                    if (!failed) {
                        LOG.log(Level.WARNING, "ROWCAST-034: outbox reader lost its connection; reconnecting, and reading on "
                                + "after id " + cursorNow(), e);
                    }
                    failed = true;
                    CaptureThreads.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                if (connection != null) {
                    if (!broken) {
                        unlisten(connection);
                    }
                    database.release(connection, broken);
                }
            }
        }
    }

    @Override
    public String name() {
        return "postgres-capture";
    }

    @Override
    public boolean ready() {
        return connected;
    }

    @Override
    public String detail() {
        return connected ? null : "the outbox reader has no database connection; it is reconnecting";
    }

    void stop() {
        running = false;
        CaptureThreads.stop(thread);
    }

    /**
     * Waits until every outbox row up to {@code id} has been handed to the engine.
     *
     * @return false when the wait timed out
     */
    @Override
    public boolean awaitHandedOver(long id, long timeoutMillis) throws InterruptedException {
        return cursor.awaitReached(id, timeoutMillis);
    }

    @Override
    public long cursorNow() {
        return cursor.current();
    }

    /** Reads until the outbox has nothing after the cursor. A transaction cut by the page end waits for the next. */
    private void readAll(Connection connection) throws SQLException {
        List<OutboxRow> pending = new ArrayList<>();
        long readThrough = cursorNow();
        long read = 0;
        boolean first = true;
        while (true) {
            List<OutboxRow> page = read(connection, readThrough);
            if (first && relay == null) {
                lostToPruning(connection, readThrough);
                first = false;
            }
            pending.addAll(page);
            read += page.size();
            if (page.size() < PAGE) {
                handOver(pending, pending.size());
                if (catchingUp) {
                    meters.catchUpRows.inc(read);
                    catchingUp = false;
                }
                if (relay != null) {
                    storeRelayCursor(connection);
                }
                return;
            }
            readThrough = page.get(page.size() - 1).id();
            // the last transaction of a full page may go on in the next page: keep it
            int lastStart = pending.size() - 1;
            String lastTx = pending.get(lastStart).txid();
            while (lastStart > 0 && pending.get(lastStart - 1).txid().equals(lastTx)) {
                lastStart--;
            }
            handOver(pending, lastStart);
            pending = new ArrayList<>(pending.subList(lastStart, pending.size()));
        }
    }

    private List<OutboxRow> read(Connection connection, long after) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(OutboxSql.READ)) {
            statement.setLong(1, after);
            statement.setInt(2, PAGE);
            try (ResultSet result = statement.executeQuery()) {
                String lastTx = null;
                while (result.next()) {
                    OutboxRow row = new OutboxRow(result.getLong(1), result.getString(2), result.getString(3),
                            result.getString(4), result.getString(5), result.getString(6));
                    if (!row.txid().equals(lastTx)) {
                        meters.lag.record(Math.max(0, result.getLong(7)));
                        lastTx = row.txid();
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Hands rows {@code [0, end)} over, one engine transaction per outbox transaction, in id order. */
    private void handOver(List<OutboxRow> rows, int end) {
        int start = 0;
        while (start < end) {
            int stop = start + 1;
            while (stop < end && rows.get(stop).txid().equals(rows.get(start).txid())) {
                stop++;
            }
            List<CapturedChange> changes = new ArrayList<>();
            for (OutboxRow row : relay != null ? List.<OutboxRow>of() : rows.subList(start, stop)) {
                changes.addAll(decoder.decode(row.table(), row.op().strip(), row.oldRow(), row.newRow()));
            }
            if (relay != null) {
                try {
                    relay.relay(rows.subList(start, stop));
                } catch (RuntimeException e) {
                    throw new RelayFailure(e); // read again from the relay's cursor
                }
            } else if (!changes.isEmpty()) {
                // one reader thread takes them, so tickets follow outbox (commit) order
                CaptureBridge.complete(CaptureBridge.takeTicket(), changes, null);
            }
            cursor.set(rows.get(stop - 1).id());
            start = stop;
        }
    }

    /**
     * Cluster mode: whether this instance holds the relay's lease; if so the cursor moves to the relay's, which may
     * have been advanced by another instance. The relay's cursor is written to the database after each read.
     */
    private boolean claim(Connection connection) throws SQLException {
        long from;
        try {
            from = relay.claim(() -> {
                try {
                    return storedRelayCursor(connection);
                } catch (SQLException e) {
                    throw new DatabaseFailure(e);
                }
            });
        } catch (DatabaseFailure e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new RelayFailure(e);
        }
        if (relayDown) {
            relayDown = false;
            LOG.info("Rowcast: the cluster relay reaches Redis again");
        }
        if (from < 0) {
            return false;
        }
        cursor.set(from);
        return true;
    }

    private long storedRelayCursor(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(OutboxSql.RELAY_TABLE);
            try (PreparedStatement read = connection.prepareStatement(OutboxSql.RELAY_READ)) {
                read.setString(1, relay.name());
                try (ResultSet result = read.executeQuery()) {
                    if (result.next()) {
                        return result.getLong(1);
                    }
                }
            }
            try (ResultSet result = statement.executeQuery(OutboxSql.HEAD)) {
                result.next();
                return result.getLong(1); // first start of the cluster: after what is already there
            }
        }
    }

    private void storeRelayCursor(Connection connection) throws SQLException {
        long now = cursorNow();
        if (now == storedRelayCursor) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(OutboxSql.RELAY_WRITE)) {
            statement.setString(1, relay.name());
            statement.setLong(2, now);
            statement.executeUpdate();
        }
        storedRelayCursor = now;
    }

    /**
     * Read after the rows: a mark above where the read began means rows after it may have been pruned before it (by
     * another application sharing the outbox with a shorter retention). Their changes cannot be caught up, so every
     * captured channel's streams are reset: clients get replay_unavailable and a snapshot, never a silent gap.
     */
    private void lostToPruning(Connection connection, long from) throws SQLException {
        long pruned;
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(OutboxSql.PRUNED)) {
            pruned = result.next() ? result.getLong(1) : 0;
        }
        if (pruned <= from) {
            return;
        }
        LostChanges lost = new LostChanges(CaptureBridge.maxLostStreams()).because("outbox rows after id " + from
                + " up to id " + pruned + " were pruned before this reader read them (an application sharing the "
                + "outbox has a shorter " + dev.rowcast.impl.config.RowcastSettings.CAPTURE_RETENTION + ")");
        decoder.channels().forEach(lost::addChannel);
        lost.count(pruned - from); // at most this many: ids have gaps
        CaptureBridge.complete(CaptureBridge.takeTicket(), List.of(), lost);
    }

    /** Deletes rows handed over and older than the retention. */
    private void prune(Connection connection) throws SQLException {
        long now = System.nanoTime();
        if (now - lastPrune < PRUNE_EVERY_NANOS) {
            return;
        }
        lastPrune = now;
        try (PreparedStatement statement = connection.prepareStatement(OutboxSql.PRUNE)) {
            statement.setLong(1, cursorNow());
            statement.setInt(2, retentionSeconds);
            statement.executeUpdate();
        }
    }

    /** The relay failed (Redis), as opposed to the database connection. */
    private static final class RelayFailure extends RuntimeException {
        RelayFailure(RuntimeException cause) {
            super(cause);
        }
    }

    /** A database error inside the relay's claim, carried out of the callback. */
    private static final class DatabaseFailure extends RuntimeException {
        DatabaseFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private static void unlisten(Connection connection) {
        // the connection goes back to a pool: it must not keep listening, nor keep our name
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN " + OutboxSql.CHANNEL);
            statement.execute("RESET application_name");
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Rowcast: UNLISTEN failed", e);
        }
    }
}
