package dev.rowcast.spi;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps each stream's position and its recent frames, for replay to clients that reconnect with the last position
 * they saw. Rowcast uses an in-memory store unless the application provides a CDI bean of this type.
 * <p>
 * Rowcast calls every method from its single dispatch thread, in commit order, so an implementation needs no
 * locking of its own unless it is shared with other processes.
 */
public interface ReplayStore {

    /**
     * The stream's latest position: seq 0 in the stream's epoch when it has no frame yet. Must return the same epoch
     * that the stream's next {@link #append} will use.
     */
    Position head(StreamId stream);

    /**
     * Stores the stream's next frame and returns its position.
     *
     * @param frameAt builds the frame text for the position the store assigns. A store may call it at once, or
     *        later from one of its own methods (which Rowcast calls on its dispatch thread), or never for a frame
     *        nobody reads; it must not call it from another thread.
     */
    Position append(StreamId stream, Function<Position, String> frameAt);

    /**
     * The frames after {@code from}, oldest first, or empty when the store cannot prove it still has every one of
     * them (another epoch, evicted, or {@code from} is ahead of the head).
     */
    Optional<List<String>> framesAfter(StreamId stream, Position from);
}
