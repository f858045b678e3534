package dev.rowcast.spi;

import java.util.Objects;

import dev.rowcast.EntityChange;

/**
 * One event of one stream, as a {@link ReplayStore} keeps it: where it is, what kind of event it was on this stream,
 * and the whole committed change. Rowcast renders the frame from it for each viewer when it is replayed, so a
 * {@link RowFilter} judges a replayed row exactly as it judged it live.
 *
 * @param type the event's wire type on this stream: {@code afterInsert}, {@code afterUpdate}, {@code afterDelete},
 *        {@code enter} or {@code leave}
 */
public record StreamEvent(Position position, String type, EntityChange change) {

    public StreamEvent {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(change, "change");
    }
}
