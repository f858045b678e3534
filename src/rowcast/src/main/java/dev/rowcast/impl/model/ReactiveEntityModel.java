package dev.rowcast.impl.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.rowcast.Capture;

/**
 * What Rowcast knows about one {@code @Reactive} entity, read once from the persistence unit's boot metadata.
 *
 * @param columns the row's columns in mapping order; the id column is not among them
 * @param snapshot how to take a snapshot on subscribe, or {@code null} for none
 * @param rolesAllowed roles that may subscribe; empty for any caller
 * @param visibleTo columns seen only by some roles: column to roles
 * @param batchMillis the window in which a stream's changes are coalesced into one frame; 0 for none
 * @param idType the id's Java type
 * @param capture where the annotation says changes come from; settings may still choose the database for DEFAULT
 * @param sqlTable the table as SQL names it: quoted where the mapping quotes it, schema-qualified when it has one
 */
public record ReactiveEntityModel(
        String entityName,
        Class<?> entityClass,
        String channel,
        String table,
        String idAttribute,
        String idColumn,
        List<ColumnModel> columns,
        List<ScopeModel> scopes,
        SnapshotModel snapshot,
        List<String> rolesAllowed,
        Map<String, Set<String>> visibleTo,
        int batchMillis,
        Class<?> idType,
        Capture capture,
        String sqlTable) {

    /** A model whose changes only ever come from JPA. */
    public ReactiveEntityModel(String entityName, Class<?> entityClass, String channel, String table,
            String idAttribute, String idColumn, List<ColumnModel> columns, List<ScopeModel> scopes,
            SnapshotModel snapshot, List<String> rolesAllowed, Map<String, Set<String>> visibleTo, int batchMillis) {
        this(entityName, entityClass, channel, table, idAttribute, idColumn, columns, scopes, snapshot, rolesAllowed,
                visibleTo, batchMillis, Object.class, Capture.JPA, table);
    }

    public ReactiveEntityModel {
        columns = List.copyOf(columns);
        scopes = List.copyOf(scopes);
        rolesAllowed = List.copyOf(rolesAllowed);
        visibleTo = Map.copyOf(visibleTo);
    }

    public static final int MAX_BATCH_MILLIS = 10_000;

    public Optional<SnapshotModel> snapshotModel() {
        return Optional.ofNullable(snapshot);
    }

    public Optional<ScopeModel> scopeByColumn(String column) {
        return scopes.stream().filter(scope -> scope.column().equals(column)).findFirst();
    }

    /** The scope columns, comma separated, for error messages. */
    public String scopeColumns() {
        return String.join(", ", scopes.stream().map(ScopeModel::column).toList());
    }
}
