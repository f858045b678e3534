package dev.rowcast.impl.dispatch;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.Viewer;

/**
 * Where each caller joined each stream, so replay never reveals what the caller could not have read then. A caller
 * is handed positions only from the moment it joined a stream (its snapshot or its first live change), so a
 * {@code from} before that, or one this server never handed to the caller, is refused like a lost history:
 * {@code replay_unavailable}, then a snapshot of what the caller may see now. docs/security.md, "Replay".
 * <p>
 * Keyed by principal name, so a caller's own reconnects on other sockets keep resuming. Bounded: the least recently
 * used grants go first, and a caller whose grant went resyncs through a snapshot, which is safe. Dispatch thread
 * only.
 */
final class ReplayGrants {

    private record Key(String caller, StreamId stream) {
    }

    private final Map<Key, Position> joined;

    ReplayGrants(int maxGrants) {
        this.joined = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Position> eldest) {
                return size() > maxGrants;
            }
        };
    }

    /** The caller joined the stream at {@code head}: it may replay from there on, in that epoch. */
    void joined(Viewer viewer, StreamId stream, Position head) {
        Key key = key(viewer, stream);
        Position earlier = joined.get(key);
        if (earlier == null || !earlier.epoch().equals(head.epoch()) || head.seq() < earlier.seq()) {
            joined.put(key, head);
        }
    }

    /** Whether the caller may replay what came after {@code from}: it joined the stream at or before it. */
    boolean allows(Viewer viewer, StreamId stream, Position from) {
        Position join = joined.get(key(viewer, stream));
        return join != null && join.epoch().equals(from.epoch()) && from.seq() >= join.seq();
    }

    private static Key key(Viewer viewer, StreamId stream) {
        Principal principal = viewer.principal();
        // anonymous callers have the same rights, so they share what they may replay
        return new Key(principal == null ? "" : "user:" + principal.getName(), stream);
    }
}
