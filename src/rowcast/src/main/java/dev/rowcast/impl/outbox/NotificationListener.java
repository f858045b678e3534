package dev.rowcast.impl.outbox;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import dev.rowcast.ChangeType;
import dev.rowcast.impl.bridge.ConnectionSource;
import dev.rowcast.spi.DecodedChange;
import dev.rowcast.spi.NotificationDecoder;

/**
 * Listens on an application's own NOTIFY channel, decodes each payload with its {@link NotificationDecoder}, and
 * records the change in the outbox, from where the outbox reader delivers it like a trigger's. Only the instance
 * holding the channel's advisory lock listens, so each change is recorded once however many instances run.
 */
final class NotificationListener implements Runnable {

    private static final Logger LOG = Logger.getLogger(NotificationListener.class.getName());
    static final String APPLICATION_NAME = "rowcast-decoder";
    private static final int WAIT_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ConnectionSource database;
    private final NotificationDecoder decoder;
    /** By the table names the decoder may return, lower case. */
    private final Map<String, DecodedTable> tables;
    private final ThrottledLog log = new ThrottledLog(LOG);
    private volatile boolean running = true;
    private volatile Thread thread;

    NotificationListener(ConnectionSource database, NotificationDecoder decoder, Map<String, DecodedTable> tables) {
        this.database = database;
        this.decoder = decoder;
        this.tables = tables;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long backoff = 100;
        while (running) {
            Connection connection = null;
            try {
                connection = database.open();
                connection.setAutoCommit(true);
                if (!lead(connection)) {
                    database.release(connection, false);
                    connection = null;
                    Thread.sleep(2_000); // another instance listens; try again, in case it stops
                    continue;
                }
                PgNotifications notifications = PgNotifications.of(connection);
                if (notifications == null) {
                    throw new SQLException("the connection does not unwrap to the PostgreSQL driver's");
                }
                backoff = 100;
                while (running) {
                    for (String payload : notifications.payloads(WAIT_MILLIS)) {
                        record(connection, payload);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "ROWCAST-072: the notification listener of channel '" + decoder.channel()
                            + "' lost its connection; reconnecting. Notifications sent meanwhile are lost (NOTIFY is "
                            + "not stored)", e);
                    CaptureThreads.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                if (connection != null) {
                    // the session's advisory lock and LISTEN end with it: never hand this connection out again
                    database.release(connection, true);
                }
            }
        }
    }

    /** Takes the channel's session lock; the holder LISTENs. */
    private boolean lead(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_try_advisory_lock(hashtextextended('rowcast_decoder:' || ?, 0))")) {
            lock.setString(1, decoder.channel());
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                if (!result.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
            statement.execute("LISTEN " + quoted(decoder.channel()));
        }
        LOG.info(() -> "Rowcast: decoding notifications of channel '" + decoder.channel() + "' with "
                + DecoderPlan.name(decoder));
        return true;
    }

    /** Decodes one payload and records its change; a decoder's failure costs that payload only. */
    private void record(Connection connection, String payload) throws SQLException {
        DecodedChange change;
        try {
            change = decoder.decode(payload);
        } catch (Exception | Error e) { // a plug-in's failure, whatever its kind, costs its payload only
            if (e instanceof OutOfMemoryError memory) {
                throw memory;
            }
            log.warning("ROWCAST-070", () -> "ROWCAST-070: notification decoder " + DecoderPlan.name(decoder)
                    + " threw on a payload of " + (payload == null ? 0 : payload.length()) + " characters; it is "
                    + "skipped: " + e);
            return;
        }
        String problem = problem(change);
        if (problem != null) {
            log.warning("ROWCAST-071", () -> "ROWCAST-071: notification decoder " + DecoderPlan.name(decoder)
                    + " returned " + change + ", which Rowcast cannot send: " + problem + "; it is skipped.");
            return;
        }
        if (change.skipped()) {
            return;
        }
        DecodedTable table = tables.get(change.table().toLowerCase(Locale.ROOT));
        String id;
        String before;
        try {
            id = json(Map.of(table.idColumn, change.id()));
            before = change.type() == ChangeType.INSERT || change.before().isEmpty() && change.type() != ChangeType.DELETE
                    ? null : json(withId(change, table));
        } catch (IllegalArgumentException e) {
            log.warning("ROWCAST-071", () -> "ROWCAST-071: notification decoder " + DecoderPlan.name(decoder)
                    + " returned " + change + ", which Rowcast cannot send: a value is not a JSON value (" + e
                    + "); it is skipped.");
            return;
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // as the trigger does: one recorder at a time, so outbox ids become visible in order
            statement.execute("SELECT pg_advisory_xact_lock(" + OutboxSql.COMMIT_LOCK + ")");
            int recorded;
            if (change.type() == ChangeType.DELETE) {
                try (PreparedStatement insert = connection.prepareStatement(table.deleted)) {
                    insert.setString(1, table.outboxName);
                    insert.setString(2, before);
                    recorded = insert.executeUpdate();
                }
            } else {
                try (PreparedStatement insert = connection.prepareStatement(table.readBack)) {
                    insert.setString(1, table.outboxName);
                    insert.setString(2, change.type() == ChangeType.INSERT ? "I" : "U");
                    insert.setString(3, before);
                    insert.setString(4, id);
                    recorded = insert.executeUpdate(); // 0: deleted meanwhile; its own notification follows
                }
            }
            if (recorded > 0) {
                statement.execute("SELECT pg_notify('" + OutboxSql.CHANNEL + "', '')");
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (lostConnection(e)) {
                throw e;
            }
            // the change, not the connection: an id out of the column's range, say. That payload only.
            log.warning("ROWCAST-073", () -> "ROWCAST-073: the database refused the change notification decoder "
                    + DecoderPlan.name(decoder) + " returned (" + change + "): " + e.getMessage() + "; it is skipped.");
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** SQLSTATE class 08 (connection exception) or 57P (operator intervention: terminated, shut down). */
    private static boolean lostConnection(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** Why the decoded change cannot be sent, or null. */
    private String problem(DecodedChange change) {
        if (change == null) {
            return "null (return DecodedChange.skip() to skip a payload)";
        }
        if (change.skipped()) {
            return null;
        }
        DecodedTable table = change.table() == null ? null : tables.get(change.table().toLowerCase(Locale.ROOT));
        if (table == null) {
            return "table " + change.table() + " is not one of its tables() " + tables.keySet();
        }
        if (change.id() == null) {
            return "no id";
        }
        if (change.type() == ChangeType.DELETE) {
            List<String> missing = table.scopeColumns.stream().filter(column -> !has(change, column)).toList();
            if (!missing.isEmpty()) {
                return "a delete must give the deleted row's scope columns, and " + missing + " are missing";
            }
        }
        return null;
    }

    private static boolean has(DecodedChange change, String column) {
        return change.before().keySet().stream().anyMatch(key -> key != null && key.equalsIgnoreCase(column));
    }

    private static Map<String, Object> withId(DecodedChange change, DecodedTable table) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        change.before().forEach((column, value) -> row.put(column.toLowerCase(Locale.ROOT), value));
        row.put(table.idColumn, change.id());
        return row;
    }

    /** @throws IllegalArgumentException for a value that is not text, a number, a boolean or null */
    private static String json(Map<String, Object> values) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        values.forEach((column, value) -> {
            if (value == null) {
                object.addNull(column);
            } else if (value instanceof String text) {
                object.add(column, text);
            } else if (value instanceof Boolean bool) {
                object.add(column, bool);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte) {
                object.add(column, ((Number) value).longValue());
            } else if (value instanceof BigInteger big) {
                object.add(column, big);
            } else if (value instanceof BigDecimal decimal) {
                object.add(column, decimal);
            } else if (value instanceof Double || value instanceof Float) {
                double number = ((Number) value).doubleValue();
                if (!Double.isFinite(number)) {
                    throw new IllegalArgumentException(column + " is " + number);
                }
                object.add(column, number);
            } else {
                throw new IllegalArgumentException(column + " is a " + value.getClass().getName());
            }
        });
        return object.build().toString();
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    void stop() {
        running = false;
        CaptureThreads.stop(thread);
    }
}
