package dev.rowcast.spi;

import java.util.List;
import java.util.Optional;

import dev.rowcast.EntityChange;

/**
 * Keeps each stream's position and its recent events, for replay to clients that reconnect with the last position
 * they saw. Rowcast uses an in-memory store unless the application provides a CDI bean of this type.
 * <p>
 * <b>What a store must persist</b>, per stream: its epoch, its head sequence number, and for each event it still
 * holds the {@link StreamEvent}: position, event type, and the whole {@link EntityChange} (type, channel, table,
 * entity class, id column, id, row and previous values). Values must come back with the Java types they went in
 * with ({@code Long} stays {@code Long}, {@code LocalDate} stays {@code LocalDate}): row filters and redaction run
 * again on replay and must see what they saw live. A store shared by several processes (Redis, a table) must also
 * hand out positions atomically, so a stream's sequence stays contiguous across them.
 * <p>
 * Rowcast calls every method from its single dispatch thread, in commit order, so an implementation needs no
 * locking of its own unless it is shared with other processes. A method that throws fails that one change or
 * replay, not the engine.
 */
public interface ReplayStore {

    /**
     * The stream's latest position: seq 0 in the stream's epoch when it has no event yet. Must return the same epoch
     * that the stream's next {@link #append} will use.
     */
    Position head(StreamId stream);

    /**
     * Stores the stream's next event and returns the position assigned to it: the head's next.
     *
     * @param type the event's wire type on this stream, see {@link StreamEvent#type()}
     */
    Position append(StreamId stream, String type, EntityChange change);

    /**
     * The events after {@code from}, oldest first, or empty when the store cannot prove it still has every one of
     * them (another epoch, evicted, or {@code from} is ahead of the head).
     */
    Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from);

    /**
     * Starts a new epoch for the stream, because Rowcast could not put some of its committed changes on it (the
     * dispatch queue was full, a transaction was too large to keep, or putting a change on the stream failed).
     * Afterwards {@link #head} returns a new epoch, never used before for this stream, with seq 0, and
     * {@link #eventsAfter} returns empty for every position of an earlier epoch: a client resuming from before the
     * loss must get {@code replay_unavailable} rather than a history with a hole.
     * <p>
     * The default throws {@link UnsupportedOperationException}. Rowcast then logs once and still resyncs the
     * stream's current subscribers, but a client that resumes later from an earlier position is replayed a history
     * that lacks the lost changes. Stores should implement it.
     */
    default void reset(StreamId stream) {
        throw new UnsupportedOperationException("reset(StreamId) is not implemented by " + getClass().getName());
    }

    /**
     * As {@link #reset} for every stream of the channel, when Rowcast lost changes of more streams than it tracks
     * one by one. Streams the store holds no state for need nothing. The default throws
     * {@link UnsupportedOperationException}, with the same consequences as for {@link #reset}.
     */
    default void resetChannel(String channel) {
        throw new UnsupportedOperationException("resetChannel(String) is not implemented by " + getClass().getName());
    }
}
