package dev.rowcast.impl.dispatch;

import java.util.List;
import java.util.Optional;

import dev.rowcast.EntityChange;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/** Cluster mode: relayed channels in the shared store, Rowcast's own channels in this instance's memory. */
final class RoutingReplayStore implements PositionedReplayStore {

    private final PositionedReplayStore shared;
    private final ReplayStore local;

    RoutingReplayStore(PositionedReplayStore shared, ReplayStore local) {
        this.shared = shared;
        this.local = local;
    }

    private ReplayStore of(StreamId stream) {
        return shared.holds(stream.channel()) ? shared : local;
    }

    @Override
    public void appended(StreamId stream, Position position, long logSeq) {
        shared.appended(stream, position, logSeq);
    }

    @Override
    public boolean holds(String channel) {
        return shared.holds(channel);
    }

    @Override
    public SharedGrants grants() {
        return shared.grants();
    }

    @Override
    public Position head(StreamId stream) {
        return of(stream).head(stream);
    }

    @Override
    public Position append(StreamId stream, String type, EntityChange change) {
        return of(stream).append(stream, type, change);
    }

    @Override
    public Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
        return of(stream).eventsAfter(stream, from);
    }

    @Override
    public void reset(StreamId stream) {
        of(stream).reset(stream);
    }

    @Override
    public void resetChannel(String channel) {
        (shared.holds(channel) ? shared : local).resetChannel(channel);
    }
}
