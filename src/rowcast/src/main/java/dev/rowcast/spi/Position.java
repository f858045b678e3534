package dev.rowcast.spi;

import java.util.Objects;

/**
 * A place in a stream. Within one epoch, sequence numbers are contiguous: the first change is 1, and a client that
 * sees 5 after 3 knows it missed 4. A new epoch means the history before it may be lost.
 */
public record Position(String epoch, long seq) {

    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
    }

    /** The position after this one, in the same epoch. */
    public Position next() {
        return new Position(epoch, seq + 1);
    }
}
