package dev.rowcast.impl.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

import dev.rowcast.Capture;
import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.bridge.ConnectionSource;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.bridge.ReadinessContributors;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.metrics.Meters;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.NotificationDecoder;

/**
 * Database capture for the channels that ask for it: checks them, installs or prints the SQL, and starts one outbox
 * reader per database. Boot starts it after the dispatcher and stops it before.
 */
public final class DatabaseCapture {

    private static final Logger LOG = Logger.getLogger(DatabaseCapture.class.getName());

    private final List<OutboxReader> readers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> channels = new ArrayList<>();
    private final List<NotificationListener> listeners = new ArrayList<>();
    private Set<String> decodedTables = Set.of();
    private OutboxRelay relay;
    private CaptureMeters meters;

    private DatabaseCapture() {
    }

    /** The channels whose changes come from the database: the annotation says so, or the setting does. */
    public static List<ReactiveEntityModel> captured(RowcastSettings settings, Collection<ReactiveEntityModel> models) {
        return models.stream().filter(model -> model.capture() == Capture.DATABASE
                || model.capture() == Capture.DEFAULT && settings.capturesFromDatabase(model.channel())).toList();
    }

    /** Whether any channel is captured from the database: only then are the capture's meters registered. */
    private static boolean byDatabaseCaptured(RowcastSettings settings, Collection<ReactiveEntityModel> models) {
        return !captured(settings, models).isEmpty();
    }

    /**
     * @throws RowcastConfigurationException listing every problem: a channel on another database than PostgreSQL, a
     *         setting naming no channel, a missing trigger when Rowcast may not install it
     */
    public static DatabaseCapture start(RowcastSettings settings, Collection<ReactiveEntityModel> models,
            ThreadFactory threadFactory) {
        return start(settings, models, threadFactory, null, Meters.local(), List.of());
    }

    /**
     * @param relay cluster mode: the reader feeds the relay instead of the local engine; {@code null} otherwise
     * @param meters where the listener's reconnects, catch-up rows and lag are counted
     * @param decoders the application's decoders of its own NOTIFY payloads
     */
    public static DatabaseCapture start(RowcastSettings settings, Collection<ReactiveEntityModel> models,
            ThreadFactory threadFactory, OutboxRelay relay, Meters meters, List<NotificationDecoder> decoders) {
        DatabaseCapture capture = new DatabaseCapture();
        capture.relay = relay;
        capture.meters = byDatabaseCaptured(settings, models) ? new CaptureMeters(meters) : null;
        List<String> problems = new ArrayList<>();
        for (String named : settings.captureDatabase()) {
            if (!named.equals("*") && models.stream().noneMatch(model -> model.channel().equals(named))) {
                problems.add("context-param " + RowcastSettings.CAPTURE_DATABASE + " names channel '" + named
                        + "', which no @Reactive entity has. Fix: name one of " + models.stream()
                                .map(ReactiveEntityModel::channel).sorted().toList() + ", or *.");
            }
        }
        Map<ConnectionSource, List<ReactiveEntityModel>> byDatabase = new IdentityHashMap<>();
        for (ReactiveEntityModel model : captured(settings, models)) {
            ConnectionSource database = ReactiveChannels.database(model.channel()).orElse(null);
            if (database == null || !database.postgres()) {
                problems.add("Channel '" + model.channel() + "' is captured from the database, which needs "
                        + "PostgreSQL; persistence unit " + (database == null ? "?" : database.unit()) + " is not on "
                        + "PostgreSQL. Fix: remove it from " + RowcastSettings.CAPTURE_DATABASE + " or @Reactive(capture"
                        + " = DATABASE), or point the unit at PostgreSQL.");
                continue;
            }
            byDatabase.computeIfAbsent(database, d -> new ArrayList<>()).add(model);
        }
        byDatabase.values().forEach(captured -> sameNameInTwoSchemas(captured, problems));
        List<DecoderPlan> plans = DecoderPlan.plan(decoders, byDatabase, problems);
        capture.decodedTables = DecoderPlan.decodedSqlTables(plans);
        if (!problems.isEmpty()) {
            throw new RowcastConfigurationException(problems);
        }
        try {
            byDatabase.forEach((database, captured) -> capture.prepare(settings, database, captured, problems));
            if (!problems.isEmpty()) {
                throw new RowcastConfigurationException(problems);
            }
            byDatabase.forEach((database, captured) -> capture.startReader(settings, database, captured,
                    threadFactory));
            plans.forEach(plan -> capture.startListener(plan, threadFactory));
        } catch (RuntimeException e) {
            capture.stop();
            throw e;
        }
        return capture;
    }

    /** Installs, writes or checks the SQL. */
    private void prepare(RowcastSettings settings, ConnectionSource database, List<ReactiveEntityModel> captured,
            List<String> problems) {
        // a table a decoder reports has the application's trigger, not Rowcast's: one would send each change twice
        List<String> tables = captured.stream().map(ReactiveEntityModel::sqlTable).distinct()
                .filter(table -> !decodedTables.contains(table)).toList();
        String sql = OutboxSql.install(tables, settings.capturePollMillis() == 0);
        if (settings.captureSqlFile() != null) {
            try {
                Files.writeString(Path.of(settings.captureSqlFile()), sql, StandardCharsets.UTF_8);
                LOG.info(() -> "Rowcast: database capture SQL written to " + settings.captureSqlFile());
            } catch (IOException e) {
                problems.add("Cannot write " + RowcastSettings.CAPTURE_SQL_FILE + " " + settings.captureSqlFile()
                        + ": " + e + ". Fix: name a writable file, or remove the setting.");
            }
        }
        Connection connection = null;
        boolean broken = false;
        try {
            connection = database.open();
            keyed(connection, captured, problems);
            if (!problems.isEmpty()) {
                return; // a trigger on such a table would only deliver rows no client could tell apart
            }
            if (settings.captureInstallTriggers()) {
                install(connection, sql);
                LOG.info(() -> "Rowcast: database capture installed on " + tables + " (" + database.unit() + ")");
            } else {
                List<String> missing = missing(connection, tables);
                if (!missing.isEmpty()) {
                    LOG.info(() -> "Rowcast: the database capture SQL for " + database.unit() + ":\n" + sql);
                    problems.add("Channels " + captured.stream().map(ReactiveEntityModel::channel).toList() + " are "
                            + "captured from the database, but " + String.join(", ", missing) + " is missing. Fix: "
                            + "run the SQL logged above (or set " + RowcastSettings.CAPTURE_SQL_FILE + " to get it in "
                            + "a file) with your migrations, or set " + RowcastSettings.CAPTURE_INSTALL_TRIGGERS
                            + "=true.");
                }
            }
        } catch (SQLException e) {
            broken = true;
            problems.add("Database capture for " + database.unit() + " failed: " + e.getMessage() + ". Fix: check "
                    + "the database and its rights (the SQL creates a table, a sequence, a function and triggers).");
        } finally {
            if (connection != null) {
                database.release(connection, broken);
            }
        }
    }

    /**
     * The trigger names a row by its table's name only, so two captured tables of one name in different schemas
     * would be mistaken for each other.
     */
    static void sameNameInTwoSchemas(List<ReactiveEntityModel> captured, List<String> problems) {
        Map<String, List<String>> byName = new java.util.TreeMap<>();
        captured.stream().map(ReactiveEntityModel::sqlTable).distinct().forEach(table -> byName
                .computeIfAbsent(OutboxSql.unquoted(table).toLowerCase(java.util.Locale.ROOT),
                        name -> new ArrayList<>()).add(table));
        byName.forEach((name, tables) -> {
            if (tables.size() > 1) {
                problems.add("Tables " + tables + " are captured from the database and share the name '" + name
                        + "'; the outbox names a row's table without its schema, so their rows would be mistaken "
                        + "for each other. Fix: capture only one of them from the database, or rename one.");
            }
        });
    }

    /**
     * Each captured table exists and has a primary key: clients, replay and snapshots tell rows apart by the
     * entity's id, which only a key makes unique in the database.
     */
    private static void keyed(Connection connection, List<ReactiveEntityModel> captured, List<String> problems)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(OutboxSql.HAS_PRIMARY_KEY)) {
            for (ReactiveEntityModel model : captured) {
                statement.setString(1, model.sqlTable());
                statement.setString(2, model.sqlTable());
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        problems.add("Channel '" + model.channel() + "' is captured from the database, but its table "
                                + model.sqlTable() + " does not exist there. Fix: create it (with your migrations, or "
                                + "hibernate.hbm2ddl.auto) before the application starts.");
                    } else if (!result.getBoolean(2)) {
                        problems.add("Channel '" + model.channel() + "' is captured from the database, but its table "
                                + model.sqlTable() + " has no primary key, so nothing keeps two rows from sharing an "
                                + "id. Fix: ALTER TABLE " + model.sqlTable() + " ADD PRIMARY KEY (" + model.idColumn()
                                + "); or capture the channel through JPA.");
                    }
                }
            }
        }
    }

    private static void install(Connection connection, String sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // one transaction: two instances deploying at once install one after the other
            statement.execute("SELECT pg_advisory_xact_lock(" + OutboxSql.INSTALL_LOCK + ")");
            statement.execute(sql);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<String> missing(Connection connection, List<String> tables) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(OutboxSql.HAS_OUTBOX)) {
            result.next();
            if (!result.getBoolean(1)) {
                missing.add("the rowcast_outbox table or the rowcast_capture() function");
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(OutboxSql.HAS_TRIGGER)) {
            for (String table : tables) {
                statement.setString(1, table);
                statement.setString(2, OutboxSql.triggerName(table));
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getInt(1) == 0) {
                        missing.add("trigger " + OutboxSql.triggerName(table) + " on " + table);
                    }
                }
            }
        }
        return missing;
    }

    private void startReader(RowcastSettings settings, ConnectionSource database, List<ReactiveEntityModel> captured,
            ThreadFactory threadFactory) {
        List<String> names = captured.stream().map(ReactiveEntityModel::channel).toList();
        // from here Hibernate's listener leaves these channels to the trigger, so a JPA write is sent once
        ReactiveChannels.captureFromDatabase(names);
        channels.addAll(names);
        OutboxReader reader = new OutboxReader(database, new OutboxDecoder(captured),
                settings.captureRetentionSeconds(), settings.capturePollMillis(), head(database), relay, meters);
        OutboxSnapshotSource.Watermark watermark = relay == null ? reader : new OutboxSnapshotSource.Watermark() {
            @Override
            public boolean awaitHandedOver(long id, long timeoutMillis) throws InterruptedException {
                return relay.awaitDelivered(id, timeoutMillis); // the relay's log, as this instance read it
            }

            @Override
            public long cursorNow() {
                return relay.delivered();
            }
        };
        for (String channel : names) {
            ReactiveChannels.decorateSnapshotSource(channel, rows -> new OutboxSnapshotSource(rows, database, watermark,
                    settings.ticketTimeoutMillis()));
        }
        Thread thread = threadFactory.newThread(reader);
        thread.setName("rowcast-outbox");
        thread.setDaemon(true);
        readers.add(reader);
        threads.add(thread);
        ReadinessContributors.register(reader); // readiness is DOWN while it has no connection
        thread.start();
        LOG.info(() -> "Rowcast: channels " + names + " are captured from the database (" + database.unit()
                + "), reading the outbox after id " + reader.cursorNow());
    }

    private void startListener(DecoderPlan plan, ThreadFactory threadFactory) {
        NotificationListener listener = new NotificationListener(plan.database(), plan.decoder(), plan.tables());
        Thread thread = threadFactory.newThread(listener);
        thread.setName("rowcast-decoder");
        thread.setDaemon(true);
        listeners.add(listener);
        threads.add(thread);
        thread.start();
    }

    /** Starts after what is already there: changes committed before the application started are not delivered. */
    private static long head(ConnectionSource database) {
        Connection connection = null;
        boolean broken = false;
        try {
            connection = database.open();
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(OutboxSql.START)) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            broken = true;
            throw new RowcastConfigurationException("Database capture for " + database.unit() + " cannot read "
                    + "rowcast_outbox: " + e.getMessage() + ". Fix: check the database.");
        } finally {
            if (connection != null) {
                database.release(connection, broken);
            }
        }
    }

    /** Stops the readers; what they had not read stays in the outbox. */
    public void stop() {
        listeners.forEach(NotificationListener::stop);
        listeners.clear();
        readers.forEach(OutboxReader::stop);
        readers.forEach(ReadinessContributors::unregister);
        readers.clear();
        threads.clear();
        ReactiveChannels.stopCapturingFromDatabase(channels);
    }
}
