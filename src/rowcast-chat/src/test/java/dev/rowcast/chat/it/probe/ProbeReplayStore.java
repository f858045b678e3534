package dev.rowcast.chat.it.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.EntityChange;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/**
 * Test probe: the application's own {@link ReplayStore}, which Rowcast must use instead of its in-memory one. Its
 * epoch is recognisable on the wire; it keeps every event (a test's worth).
 */
@ApplicationScoped
public class ProbeReplayStore implements ReplayStore {

    public static final String EPOCH = "probe-store";

    private final Map<StreamId, List<StreamEvent>> events = new HashMap<>();

    @Override
    public Position head(StreamId stream) {
        return new Position(EPOCH, events.getOrDefault(stream, List.of()).size());
    }

    @Override
    public Position append(StreamId stream, String type, EntityChange change) {
        List<StreamEvent> stored = events.computeIfAbsent(stream, s -> new ArrayList<>());
        Position position = new Position(EPOCH, stored.size() + 1L);
        stored.add(new StreamEvent(position, type, change));
        return position;
    }

    @Override
    public Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
        List<StreamEvent> stored = events.getOrDefault(stream, List.of());
        if (!from.epoch().equals(EPOCH) || from.seq() > stored.size()) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(stored.subList((int) from.seq(), stored.size())));
    }
}
