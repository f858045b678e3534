package dev.rowcast.impl.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;

/**
 * A table a notification decoder reports on, with the SQL that records its decoded changes in the outbox: inserts
 * and updates read the row back by id, in the same statement; a delete is recorded from the decoder's columns.
 */
final class DecodedTable {

    final String sqlTable;
    /** As the trigger records it (TG_TABLE_NAME), so the outbox reader decodes it as a trigger's row. */
    final String outboxName;
    final String idColumn;
    /** Every scope column of every channel on the table: a delete must name them all to be routed. */
    final List<String> scopeColumns = new ArrayList<>();
    final String readBack;
    final String deleted;

    DecodedTable(List<ReactiveEntityModel> models) {
        ReactiveEntityModel first = models.get(0);
        sqlTable = first.sqlTable();
        outboxName = OutboxSql.unquoted(sqlTable).toLowerCase(Locale.ROOT);
        idColumn = OutboxSql.unquoted(first.idColumn()).toLowerCase(Locale.ROOT);
        for (ReactiveEntityModel model : models) {
            for (ScopeModel scope : model.scopes()) {
                String column = OutboxSql.unquoted(scope.column()).toLowerCase(Locale.ROOT);
                if (!scopeColumns.contains(column)) {
                    scopeColumns.add(column);
                }
            }
        }
        String id = "\"" + idColumn.replace("\"", "\"\"") + "\"";
        // json_populate_record converts the id to the column's own type, so the primary key's index is used
        readBack = "INSERT INTO rowcast_outbox (id, txid, table_name, op, old_row, new_row, created_at) "
                + "SELECT nextval('rowcast_outbox_id_seq'), pg_current_xact_id(), ?, ?, to_jsonb(t) || CAST(? AS jsonb), "
                + "to_jsonb(t), clock_timestamp() FROM " + sqlTable + " t WHERE t." + id + " = (json_populate_record("
                + "NULL::" + sqlTable + ", CAST(? AS json)))." + id;
        deleted = "INSERT INTO rowcast_outbox (id, txid, table_name, op, old_row, new_row, created_at) "
                + "VALUES (nextval('rowcast_outbox_id_seq'), pg_current_xact_id(), ?, 'D', CAST(? AS jsonb), NULL, "
                + "clock_timestamp())";
    }
}
