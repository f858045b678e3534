package dev.rowcast.impl.dispatch;

import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * Cluster mode: where each caller joined each stream, kept for every instance, so that a caller who moves to another
 * instance may resume there from the positions it was handed (see {@link ReplayGrants}). Dispatch thread only.
 */
public interface SharedGrants {

    /** The caller joined the stream at {@code head}; the earliest join of an epoch is kept. */
    void joined(String caller, StreamId stream, Position head);

    /** Where the caller joined the stream, or {@code null} when no instance knows. */
    Position joinedAt(String caller, StreamId stream);
}
