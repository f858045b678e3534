package dev.rowcast.impl.model;

/** How a channel's snapshot is taken: at most {@code limit} rows, ordered by one attribute, then by id. */
public record SnapshotModel(int limit, String orderAttribute, String orderColumn, boolean descending) {

    public static final int MAX_LIMIT = 10_000;
}
