package dev.rowcast.impl.visibility;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowView;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/**
 * What one channel's rows look like to one viewer: the {@code @VisibleTo} redactions, then every applicable
 * {@link RowFilter}. A filter that throws hides the row from that viewer only.
 */
final class RowPolicy {

    private static final Logger LOG = Logger.getLogger(RowPolicy.class.getName());

    private final Map<String, Set<String>> visibleTo;
    private final List<RowFilter> filters;

    /** @param visibleTo column to the roles that may see it */
    RowPolicy(Map<String, Set<String>> visibleTo, List<RowFilter> filters) {
        this.visibleTo = Map.copyOf(visibleTo);
        this.filters = List.copyOf(filters);
    }

    RowVisibility visibility(Viewer viewer, RowView row) {
        Set<String> dropped = new HashSet<>();
        visibleTo.forEach((column, roles) -> {
            if (roles.stream().noneMatch(viewer::isUserInRole)) {
                dropped.add(column);
            }
        });
        for (RowFilter filter : filters) {
            RowVisibility verdict;
            try {
                verdict = filter.filter(viewer, row);
            } catch (Throwable e) { // Errors too: a filter must not take the dispatch thread down
                LOG.log(Level.WARNING, "ROWCAST-052: RowFilter " + filter.getClass().getName() + " failed for " + viewer
                        + "; the row is hidden from that subscriber", e);
                return RowVisibility.HIDDEN;
            }
            if (verdict == null || verdict.isHidden()) {
                return RowVisibility.HIDDEN;
            }
            dropped.addAll(verdict.droppedColumns());
        }
        return RowVisibility.without(dropped.toArray(String[]::new));
    }
}
