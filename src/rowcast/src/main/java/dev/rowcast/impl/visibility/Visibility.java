package dev.rowcast.impl.visibility;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/**
 * The one place that decides what a viewer receives of a row: live changes, batches, held changes, snapshot rows
 * and replayed events all ask here, with the same Java values, so a rule written here holds on every path. The
 * rule, stated in docs/security.md ("What a subscriber sees"): a subscriber receives only what it may see now, on
 * the stream it asked for.
 * <ul>
 * <li>A row is judged as it is now; a {@code leave} is judged as the row was, and tells nothing of its new state.
 * <li>{@code changed}/{@code previous} go only to a viewer who could see the row before the change too, without the
 * columns hidden from it then or now; never with {@code enter} or {@code leave}.
 * </ul>
 * Dispatch thread only.
 */
public final class Visibility {

    private static final String SNAPSHOT = "snapshot";
    private static final Seen WITHOUT_PREVIOUS = new Seen(false, Set.of(), false, Set.of());

    private final RowPolicies policies;

    public Visibility(List<RowFilter> filters) {
        this.policies = new RowPolicies(filters);
    }

    /** What {@code viewer} may see of {@code change}, arriving on a stream as an event of {@code type}. */
    public Seen of(ReactiveEntityModel model, Viewer viewer, EventType type, EntityChange change) {
        Optional<RowPolicy> policy = policies.of(model);
        boolean moved = type == EventType.LEAVE || type == EventType.ENTER;
        if (policy.isEmpty()) {
            return moved ? WITHOUT_PREVIOUS : Seen.EVERYTHING;
        }
        String eventType = type.wireName();
        if (type == EventType.LEAVE) {
            RowVisibility before = policy.get().visibility(viewer, RowViews.of(model.channel(), eventType,
                    Seen.before(change)));
            return before.isHidden() ? Seen.NOTHING : new Seen(false, before.droppedColumns(), false, Set.of());
        }
        RowVisibility now = policy.get().visibility(viewer, RowViews.of(model.channel(), eventType, change.row()));
        if (now.isHidden()) {
            return Seen.NOTHING;
        }
        if (moved || change.previous().isEmpty()) {
            return new Seen(false, now.droppedColumns(), false, Set.of());
        }
        RowVisibility before = policy.get().visibility(viewer, RowViews.of(model.channel(), eventType,
                Seen.before(change)));
        if (before.isHidden()) {
            return new Seen(false, now.droppedColumns(), false, Set.of()); // became visible: nothing of before
        }
        Set<String> hiddenThenOrNow = new HashSet<>(now.droppedColumns());
        hiddenThenOrNow.addAll(before.droppedColumns());
        return new Seen(false, now.droppedColumns(), true, hiddenThenOrNow);
    }

    /** The snapshot rows {@code viewer} may see, each as it may see it, in their order. */
    public List<Map<String, Object>> rows(ReactiveEntityModel model, Viewer viewer, List<Map<String, Object>> rows) {
        Optional<RowPolicy> policy = policies.of(model);
        if (policy.isEmpty()) {
            return rows;
        }
        List<Map<String, Object>> visible = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            RowVisibility verdict = policy.get().visibility(viewer, RowViews.of(model.channel(), SNAPSHOT, row));
            if (!verdict.isHidden()) {
                visible.add(Redaction.without(row, verdict.droppedColumns()));
            }
        }
        return visible;
    }
}
