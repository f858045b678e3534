package dev.rowcast.impl.dispatch;

import java.util.HashMap;
import java.util.Map;

import dev.rowcast.impl.bridge.ChangeSize;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.impl.visibility.Seen;
import dev.rowcast.impl.visibility.Visibility;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.Viewer;

/**
 * One event at one position of one stream, and the frames it becomes: one per distinct verdict, so subscribers who
 * see the same thing share one text. Live, batched, held and replayed events all go through here. Dispatch thread
 * only.
 */
final class StreamEventView {

    final StreamId stream;
    final Position position;
    final EventType type;
    final ChangeText text;
    private final ReactiveEntityModel model;
    private final Visibility visibility;
    private final Map<Seen, OutboundFrame> frames = new HashMap<>(2);
    private long bytes = -1;

    StreamEventView(StreamId stream, Position position, EventType type, ChangeText text, ReactiveEntityModel model,
            Visibility visibility) {
        this.stream = stream;
        this.position = position;
        this.type = type;
        this.text = text;
        this.model = model;
        this.visibility = visibility;
    }

    /** About the characters its frame takes: what holding it for a subscriber counts against the socket. */
    long frameBytes() {
        if (bytes < 0) {
            bytes = ChangeSize.text(text.change());
        }
        return bytes;
    }

    Seen seenBy(Viewer viewer) {
        return visibility.of(model, viewer, type, text.change());
    }

    /** The event object alone, for a batch frame. */
    String eventFor(Seen seen) {
        return text.event(type, seen);
    }

    /** The whole change frame, shared by every subscriber with the same verdict. */
    OutboundFrame frameFor(Viewer viewer) {
        Seen seen = seenBy(viewer);
        return frames.computeIfAbsent(seen, s -> OutboundFrame.of(s.hidden() ? Frames.hidden(stream, position)
                : Frames.change(stream, position, text.event(type, s))));
    }
}
