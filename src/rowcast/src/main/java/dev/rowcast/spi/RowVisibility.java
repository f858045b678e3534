package dev.rowcast.spi;

import java.util.Set;

/** A {@link RowFilter}'s verdict for one subscriber and one row. */
public final class RowVisibility {

    /** Send the row as it is. */
    public static final RowVisibility VISIBLE = new RowVisibility(false, Set.of());

    /** Send nothing of the row: the subscriber gets a {@code hidden} event that keeps its positions contiguous. */
    public static final RowVisibility HIDDEN = new RowVisibility(true, Set.of());

    private final boolean hidden;
    private final Set<String> droppedColumns;

    private RowVisibility(boolean hidden, Set<String> droppedColumns) {
        this.hidden = hidden;
        this.droppedColumns = droppedColumns;
    }

    /** Send the row without these columns (nor their previous values). */
    public static RowVisibility without(String... columns) {
        return columns.length == 0 ? VISIBLE : new RowVisibility(false, Set.of(columns));
    }

    public boolean isHidden() {
        return hidden;
    }

    public Set<String> droppedColumns() {
        return droppedColumns;
    }
}
