package dev.rowcast.impl.outbox;

import java.util.Collection;
import java.util.Locale;

/**
 * The SQL of database capture: the outbox table, the trigger function, and one trigger per captured table.
 * Idempotent, so a deployment or a migration may run it again; every object's name starts with {@code rowcast_}.
 */
public final class OutboxSql {

    /** The channel of LISTEN/NOTIFY; no payload, the rows are read from the table. */
    static final String CHANNEL = "rowcast_outbox";
    /** Held by each committing transaction while it numbers its rows: ids become visible in commit order. */
    static final long COMMIT_LOCK = 7_304_512_733_190_416L;
    /** The function's NOTIFY, left out in polling mode. */
    static final String NOTIFY_LINE = "    PERFORM pg_notify('rowcast_outbox', '');\n";
    /** Held while installing, so two instances deploying at once do not both create a trigger. */
    static final long INSTALL_LOCK = COMMIT_LOCK + 1;

    private OutboxSql() {
    }

    /** The whole script for these tables (as SQL names them, quoted and qualified where needed). */
    public static String install(Collection<String> sqlTables) {
        return install(sqlTables, true);
    }

    /**
     * @param notify whether committing transactions wake the reader with NOTIFY; without, the reader polls
     *        ({@code rowcast.capture.pollMillis}) and commits skip NOTIFY's cluster-wide lock
     */
    public static String install(Collection<String> sqlTables, boolean notify) {
        StringBuilder sql = new StringBuilder();
        sql.append("""
                -- Rowcast database capture (docs/configuration.md, "Database capture"). Idempotent: safe to run again.
                CREATE TABLE IF NOT EXISTS rowcast_outbox (
                    id bigint PRIMARY KEY,
                    txid xid8 NOT NULL,
                    table_name text NOT NULL,
                    op char(1) NOT NULL,
                    old_row jsonb,
                    new_row jsonb,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE SEQUENCE IF NOT EXISTS rowcast_outbox_id_seq;
                -- the highest id pruned: a reader whose position is below it has lost rows, and resets their streams
                CREATE TABLE IF NOT EXISTS rowcast_outbox_pruned (
                    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                    through bigint NOT NULL
                );
                INSERT INTO rowcast_outbox_pruned (only_row, through) VALUES (true, 0) ON CONFLICT DO NOTHING;

                CREATE OR REPLACE FUNCTION rowcast_capture() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $rowcast$
                BEGIN
                    -- runs at commit (deferred); one committer at a time numbers its rows, so ids become visible
                    -- in commit order
                    PERFORM pg_advisory_xact_lock(%d);
                    INSERT INTO rowcast_outbox (id, txid, table_name, op, old_row, new_row, created_at)
                    VALUES (nextval('rowcast_outbox_id_seq'), pg_current_xact_id(), TG_TABLE_NAME, left(TG_OP, 1),
                            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
                            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END, clock_timestamp());
                    PERFORM pg_notify('rowcast_outbox', '');
                    RETURN NULL;
                END
                $rowcast$;
                """.formatted(COMMIT_LOCK).replace(NOTIFY_LINE, notify ? NOTIFY_LINE : ""));
        for (String table : sqlTables) {
            sql.append('\n').append(trigger(table));
        }
        return sql.toString();
    }

    /** Creates the table's trigger unless it exists: no DROP, so no moment in which a write escapes capture. */
    static String trigger(String sqlTable) {
        String name = triggerName(sqlTable);
        return """
                DO $rowcast$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = '%s') THEN
                        CREATE CONSTRAINT TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s
                            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rowcast_capture();
                    END IF;
                END
                $rowcast$;
                """.formatted(literal(sqlTable), name, name, sqlTable);
    }

    /** {@code rowcast_capture_<table>}: the table's own name, lower case, within PostgreSQL's 63 bytes. */
    static String triggerName(String sqlTable) {
        String name = unquoted(sqlTable).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String full = "rowcast_capture_" + name;
        return full.length() > 63 ? full.substring(0, 63) : full;
    }

    /** The table's name without schema or quotes, as TG_TABLE_NAME gives it for an unquoted name. */
    static String unquoted(String sqlTable) {
        String last = sqlTable;
        int dot = lastDotOutsideQuotes(sqlTable);
        if (dot >= 0) {
            last = sqlTable.substring(dot + 1);
        }
        if (last.length() >= 2 && last.startsWith("\"") && last.endsWith("\"")) {
            return last.substring(1, last.length() - 1).replace("\"\"", "\"");
        }
        return last;
    }

    private static int lastDotOutsideQuotes(String s) {
        boolean quoted = false;
        int dot = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dot = i;
            }
        }
        return dot;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The last column is the row's age in milliseconds on the database's clock: created at commit, so the lag. */
    static final String READ = "SELECT id, txid::text, table_name, op, old_row::text, new_row::text, "
            + "(extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint "
            + "FROM rowcast_outbox WHERE id > ? ORDER BY id LIMIT ?";
    /** Cluster mode: the relay's cursor, kept in the database too, so a Redis that lost it resumes from here. */
    static final String RELAY_TABLE = "CREATE TABLE IF NOT EXISTS rowcast_relay (name text PRIMARY KEY, "
            + "relayed bigint NOT NULL)";
    static final String RELAY_READ = "SELECT relayed FROM rowcast_relay WHERE name = ?";
    static final String RELAY_WRITE = "INSERT INTO rowcast_relay (name, relayed) VALUES (?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET relayed = greatest(rowcast_relay.relayed, excluded.relayed)";
    static final String HEAD = "SELECT coalesce(max(id), 0) FROM rowcast_outbox";
    /** Where a reader starts: after what is there, and after what was pruned (an emptied outbox has no max). */
    static final String START = "SELECT greatest(coalesce(max(id), 0), (SELECT coalesce(max(through), 0) FROM "
            + "rowcast_outbox_pruned)) FROM rowcast_outbox";
    /** Deletes, and raises the pruned mark to the highest id deleted, in one statement. */
    static final String PRUNE = "WITH gone AS (DELETE FROM rowcast_outbox WHERE id <= ? AND created_at < now() - "
            + "make_interval(secs => ?) RETURNING id) UPDATE rowcast_outbox_pruned SET through = greatest(through, "
            + "(SELECT max(id) FROM gone)) WHERE EXISTS (SELECT 1 FROM gone)";
    static final String PRUNED = "SELECT through FROM rowcast_outbox_pruned";
    static final String HAS_OUTBOX = "SELECT to_regclass('rowcast_outbox') IS NOT NULL "
            + "AND to_regclass('rowcast_outbox_pruned') IS NOT NULL AND to_regprocedure('rowcast_capture()') IS NOT NULL";
    /** Whether the table exists, and whether it has a primary key. */
    static final String HAS_PRIMARY_KEY = "SELECT to_regclass(?) IS NOT NULL, EXISTS (SELECT 1 FROM pg_index "
            + "WHERE indrelid = to_regclass(?) AND indisprimary)";
    static final String HAS_TRIGGER = "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?";
}
