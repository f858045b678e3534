package dev.rowcast.impl.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Rowcast knows about one {@code @Reactive} entity, read once from the persistence unit's boot metadata.
 *
 * @param columns the row's columns in mapping order; the id column is not among them
 * @param snapshot how to take a snapshot on subscribe, or {@code null} for none
 * @param rolesAllowed roles that may subscribe; empty for any caller
 * @param visibleTo columns seen only by some roles: column to roles
 * @param batchMillis the window in which a stream's changes are coalesced into one frame; 0 for none
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
        int batchMillis) {

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
