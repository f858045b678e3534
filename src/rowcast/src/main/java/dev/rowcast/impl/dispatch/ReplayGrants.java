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

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ReplayGrants.class
            .getName());

    private final Map<Key, Position> joined;
    /** Cluster mode: the joins every instance knows of; {@code null} on one instance. */
    private final SharedGrants shared;

    ReplayGrants(int maxGrants) {
        this(maxGrants, null);
    }

    ReplayGrants(int maxGrants, SharedGrants shared) {
        this.shared = shared;
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
            if (shared != null) {
                try {
                    shared.joined(key.caller(), stream, head);
                } catch (RuntimeException e) { // the caller resumes here still; elsewhere it resyncs
                    LOG.log(java.util.logging.Level.FINE, "Rowcast: could not share a replay grant", e);
                }
            }
        }
    }

    /** Whether the caller may replay what came after {@code from}: it joined the stream at or before it. */
    boolean allows(Viewer viewer, StreamId stream, Position from) {
        Key key = key(viewer, stream);
        if (allows(joined.get(key), from)) {
            return true;
        }
        if (shared == null) {
            return false;
        }
        Position elsewhere;
        try {
            elsewhere = shared.joinedAt(key.caller(), stream); // joined on another instance
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.FINE, "Rowcast: could not read a shared replay grant", e);
            return false; // replay_unavailable and a snapshot: safe
        }
        if (!allows(elsewhere, from)) {
            return false;
        }
        joined.put(key, elsewhere);
        return true;
    }

    private static boolean allows(Position join, Position from) {
        return join != null && join.epoch().equals(from.epoch()) && from.seq() >= join.seq();
    }

    private static Key key(Viewer viewer, StreamId stream) {
        Principal principal = viewer.principal();
        // anonymous callers have the same rights, so they share what they may replay
        return new Key(principal == null ? "" : "user:" + principal.getName(), stream);
    }
}
