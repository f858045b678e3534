package dev.rowcast.impl.model;

import java.util.List;
import java.util.Map;

/** Reads a channel's snapshot rows from the database. Called off the dispatch and committing threads. */
public interface SnapshotSource {

    /** The rows whose scope has the value, as the model's snapshot orders and limits them; keyed by column. */
    List<Map<String, Object>> read(ScopeModel scope, Object value);
}
