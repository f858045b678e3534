package dev.rowcast.impl.protocol;

import java.util.Optional;

import dev.rowcast.ChangeType;

/**
 * The {@code type} of an event inside a {@code change} frame, as docs/protocol.md ("Events") defines it. A change is
 * its own type on the stream it stays in; an update that moves a row across scope values is a {@link #LEAVE} on the
 * old value's stream and an {@link #ENTER} on the new one's.
 */
public enum EventType {

    INSERT(ChangeType.INSERT.wireName()),
    UPDATE(ChangeType.UPDATE.wireName()),
    DELETE(ChangeType.DELETE.wireName()),
    ENTER("enter"),
    LEAVE("leave");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type of a change on a stream it neither entered nor left. */
    public static EventType of(ChangeType type) {
        return switch (type) {
            case INSERT -> INSERT;
            case UPDATE -> UPDATE;
            case DELETE -> DELETE;
        };
    }

    /** The type of a wire name, as a replay store gives it back. */
    public static Optional<EventType> ofWireName(String wireName) {
        for (EventType type : values()) {
            if (type.wireName.equals(wireName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Whether the row is gone from the stream after this event. */
    public boolean removesRow() {
        return this == DELETE || this == LEAVE;
    }
}
