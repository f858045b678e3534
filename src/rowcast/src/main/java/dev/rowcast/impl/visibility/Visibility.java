package dev.rowcast.impl.visibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/**
 * The one place that decides what a viewer receives of a row: live changes, batches, held changes, snapshot rows
 * and replayed events all ask here, with the same Java values, so a rule written here holds on every path. The
 * rule itself is in docs/security.md ("What a subscriber sees").
 * <p>
 * Dispatch thread only.
 */
public final class Visibility {

    private static final String SNAPSHOT = "snapshot";

    private final RowPolicies policies;

    public Visibility(List<RowFilter> filters) {
        this.policies = new RowPolicies(filters);
    }

    /** Whether every viewer sees every row of the channel whole: no filter applies and no column is restricted. */
    public boolean isUniform(ReactiveEntityModel model) {
        return policies.of(model).isEmpty();
    }

    /** What {@code viewer} may see of {@code change}, arriving on a stream as an event of {@code type}. */
    public Seen of(ReactiveEntityModel model, Viewer viewer, EventType type, EntityChange change) {
        Optional<RowPolicy> policy = policies.of(model);
        if (policy.isEmpty()) {
            return Seen.EVERYTHING;
        }
        return seen(policy.get().visibility(viewer, RowViews.of(model.channel(), type.wireName(), change.row())));
    }

    /** The snapshot rows {@code viewer} may see, each as it may see it, in their order. */
    public List<Map<String, Object>> rows(ReactiveEntityModel model, Viewer viewer, List<Map<String, Object>> rows) {
        Optional<RowPolicy> policy = policies.of(model);
        if (policy.isEmpty()) {
            return rows;
        }
        List<Map<String, Object>> visible = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Seen seen = seen(policy.get().visibility(viewer, RowViews.of(model.channel(), SNAPSHOT, row)));
            if (!seen.hidden()) {
                visible.add(seen.droppedColumns().isEmpty() ? row : Redaction.without(row, seen.droppedColumns()));
            }
        }
        return visible;
    }

    private static Seen seen(RowVisibility verdict) {
        if (verdict.isHidden()) {
            return Seen.NOTHING;
        }
        return verdict.droppedColumns().isEmpty() ? Seen.EVERYTHING : new Seen(false, verdict.droppedColumns());
    }
}
