package dev.rowcast.impl.visibility;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.protocol.EventType;

/**
 * What one viewer may see of one event: nothing, or the row without some columns, and the previous values only
 * where the viewer could see them before the change as well. Equal verdicts mean equal frames, so the dispatcher
 * keys shared frame text by it.
 *
 * @param droppedColumns columns left out of the row
 * @param previousShown whether {@code changed}/{@code previous} are sent at all: not to a viewer who could not see
 *        the row before the change, and never with {@code enter} or {@code leave}
 * @param previousDropped columns left out of {@code changed}/{@code previous}: hidden before or now
 */
public record Seen(boolean hidden, Set<String> droppedColumns, boolean previousShown, Set<String> previousDropped) {

    /** The whole event. */
    public static final Seen EVERYTHING = new Seen(false, Set.of(), true, Set.of());

    /** Nothing of the row: the subscriber gets a {@code hidden} event that keeps its positions contiguous. */
    public static final Seen NOTHING = new Seen(true, Set.of(), false, Set.of());

    public Seen {
        droppedColumns = Set.copyOf(droppedColumns);
        previousDropped = Set.copyOf(previousDropped);
    }

    /**
     * The change as this verdict lets it be seen on a stream where it is an event of {@code type}. A {@code leave}
     * carries the row as the old scope knew it, before the update, and nothing of its new state. Not for
     * {@link #NOTHING}.
     */
    public EntityChange shape(EntityChange change, EventType type) {
        if (hidden) {
            throw new IllegalStateException("a hidden row has no shape");
        }
        if (this.equals(EVERYTHING) && type != EventType.LEAVE && type != EventType.ENTER) {
            return change;
        }
        Map<String, Object> row = type == EventType.LEAVE ? before(change) : change.row();
        Map<String, Object> previous = previousShown && type != EventType.LEAVE && type != EventType.ENTER
                ? Redaction.without(change.previous(), previousDropped) : Map.of();
        return new EntityChange(change.type(), change.channel(), change.table(), change.entityClass(),
                change.idColumn(), change.id(), Redaction.without(row, droppedColumns), previous);
    }

    /** The row as it was before the change: the new row with the previous values put back. */
    static Map<String, Object> before(EntityChange change) {
        if (change.previous().isEmpty()) {
            return change.row();
        }
        Map<String, Object> before = new LinkedHashMap<>(change.row());
        before.putAll(change.previous());
        return before;
    }
}
