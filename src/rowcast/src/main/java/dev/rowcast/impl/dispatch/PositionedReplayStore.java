package dev.rowcast.impl.dispatch;

import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamId;

/**
 * A replay store whose positions are handed out elsewhere (cluster mode: by the relay, in Redis) and arrive with
 * each change. The engine tells it instead of calling {@link #append}.
 */
public interface PositionedReplayStore extends ReplayStore {

    /**
     * The change at {@code logSeq} in the shared log was put on the stream at {@code position}; the store already
     * holds it.
     */
    void appended(StreamId stream, Position position, long logSeq);

    /** Whether the channel's streams are kept here; the others (Rowcast's own, such as the admin page's) in memory. */
    boolean holds(String channel);

    /** Where callers joined the streams kept here, known to every instance; {@code null} when only locally. */
    default SharedGrants grants() {
        return null;
    }
}
