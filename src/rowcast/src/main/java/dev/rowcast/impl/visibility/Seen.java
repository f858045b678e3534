package dev.rowcast.impl.visibility;

import java.util.Set;

import dev.rowcast.EntityChange;

/**
 * What one viewer may see of one row: nothing, or the row without some columns. Equal verdicts mean equal frames,
 * so the dispatcher keys shared frame text by it.
 */
public record Seen(boolean hidden, Set<String> droppedColumns) {

    /** The whole row. */
    public static final Seen EVERYTHING = new Seen(false, Set.of());

    /** Nothing of the row: the subscriber gets a {@code hidden} event that keeps its positions contiguous. */
    public static final Seen NOTHING = new Seen(true, Set.of());

    public Seen {
        droppedColumns = Set.copyOf(droppedColumns);
    }

    /** The change as this verdict lets it be seen. Not for {@link #NOTHING}. */
    public EntityChange shape(EntityChange change) {
        if (hidden) {
            throw new IllegalStateException("a hidden row has no shape");
        }
        return droppedColumns.isEmpty() ? change : Redaction.without(change, droppedColumns);
    }
}
