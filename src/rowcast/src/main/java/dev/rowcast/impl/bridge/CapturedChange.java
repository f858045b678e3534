package dev.rowcast.impl.bridge;

import java.util.Map;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * A committed change with the model of its entity.
 *
 * @param positions in cluster mode, the position the shared log gave the change on each stream it touches;
 *        {@code null} when the replay store assigns them
 * @param logSeq in cluster mode, the change's place in the shared log; 0 otherwise
 */
public record CapturedChange(ReactiveEntityModel model, EntityChange change, Map<StreamId, Position> positions,
        long logSeq) {

    public CapturedChange(ReactiveEntityModel model, EntityChange change) {
        this(model, change, null, 0);
    }
}
