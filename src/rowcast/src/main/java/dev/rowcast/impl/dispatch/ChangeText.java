package dev.rowcast.impl.dispatch;

import java.util.HashMap;
import java.util.Map;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.visibility.Seen;

/**
 * The serialized events of one change: one text per (event type, verdict), built on first use and shared by every
 * stream and subscriber that needs the same one. Dispatch thread only.
 */
final class ChangeText {

    private record Key(EventType type, Seen seen) {
    }

    private final EntityChange change;
    private final Map<Key, String> events = new HashMap<>(4);

    ChangeText(EntityChange change) {
        this.change = change;
    }

    EntityChange change() {
        return change;
    }

    /** The event object as a viewer with verdict {@code seen} receives it. */
    String event(EventType type, Seen seen) {
        if (seen.hidden()) {
            return Frames.HIDDEN_EVENT;
        }
        return events.computeIfAbsent(new Key(type, seen), key -> Frames.event(seen.shape(change, type), type));
    }
}
