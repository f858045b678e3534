package dev.rowcast.impl.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.spi.StreamId;

/**
 * The streams a change is put on, in the order the engine's StreamPublisher puts it there: per scope, a move is a
 * leave of the old value and an enter of the new one. The relay numbers these; every instance finds the same ones.
 */
final class StreamsOf {

    record On(StreamId stream, String type) {
    }

    private StreamsOf() {
    }

    static List<On> of(CapturedChange captured) {
        EntityChange change = captured.change();
        List<On> on = new ArrayList<>(2);
        for (ScopeModel scope : captured.model().scopes()) {
            Object value = change.row().get(scope.column());
            boolean moved = change.previous().containsKey(scope.column())
                    && !Objects.equals(change.previous().get(scope.column()), value);
            if (moved) {
                add(on, captured, scope, change.previous().get(scope.column()), EventType.LEAVE);
                add(on, captured, scope, value, EventType.ENTER);
            } else {
                add(on, captured, scope, value, EventType.of(change.type()));
            }
        }
        return on;
    }

    private static void add(List<On> on, CapturedChange captured, ScopeModel scope, Object value, EventType type) {
        if (value != null) {
            on.add(new On(new StreamId(captured.model().channel(), scope.column(), value), type.wireName()));
        }
    }
}
