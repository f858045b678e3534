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
 * Test probe: the application's own {@link ReplayStore} whose connection drops for a moment, as a Redis-backed one's
 * does while it reconnects. Appending a message whose body is {@value #UNREACHABLE} fails, so Rowcast resets that
 * stream; the next read of a head (the first subscriber's resync) fails too, and later ones work again. Keeps every
 * event otherwise (a test's worth); a reset starts a new epoch.
 */
@ApplicationScoped
public class FlakyReplayStore implements ReplayStore {

    public static final String UNREACHABLE = "store-unreachable";

    private final Map<StreamId, List<StreamEvent>> events = new HashMap<>();
    private final Map<StreamId, Integer> epochs = new HashMap<>();
    private int failHeads;

    @Override
    public synchronized Position head(StreamId stream) {
        if (failHeads > 0) {
            failHeads--;
            throw new IllegalStateException("probe: the replay store is reconnecting");
        }
        return new Position(epoch(stream), events.getOrDefault(stream, List.of()).size());
    }

    @Override
    public synchronized Position append(StreamId stream, String type, EntityChange change) {
        if (UNREACHABLE.equals(change.row().get("body"))) {
            failHeads = 1;
            throw new IllegalStateException("probe: the replay store is reconnecting");
        }
        List<StreamEvent> stored = events.computeIfAbsent(stream, s -> new ArrayList<>());
        Position position = new Position(epoch(stream), stored.size() + 1L);
        stored.add(new StreamEvent(position, type, change));
        return position;
    }

    @Override
    public synchronized Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
        List<StreamEvent> stored = events.getOrDefault(stream, List.of());
        if (!from.epoch().equals(epoch(stream)) || from.seq() > stored.size()) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(stored.subList((int) from.seq(), stored.size())));
    }

    @Override
    public synchronized void reset(StreamId stream) {
        events.remove(stream);
        epochs.merge(stream, 1, Integer::sum);
    }

    @Override
    public synchronized void resetChannel(String channel) {
        new ArrayList<>(events.keySet()).stream().filter(s -> s.channel().equals(channel)).forEach(this::reset);
    }

    private String epoch(StreamId stream) {
        return "flaky-" + epochs.getOrDefault(stream, 0);
    }
}
