package dev.rowcast.impl.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.logging.Logger;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/**
 * The default replay store: the last {@code eventsPerStream} events of at most {@code maxStreams} streams, in
 * memory, least recently used first out, except streams someone follows: evicting one would start a new epoch
 * under its subscribers' feet. A stream that is evicted and comes back gets a new epoch, and so does every stream
 * after a restart: the epoch is what tells a client its cursor no longer covers the history.
 * <p>
 * Not thread-safe: only the dispatch thread calls it.
 */
final class MemoryReplayStore implements ReplayStore {

    private static final Logger LOG = Logger.getLogger(MemoryReplayStore.class.getName());

    private final int eventsPerStream;
    private final Map<StreamId, StreamHistory> streams;
    private final String instance = Long.toString(System.currentTimeMillis(), 36)
            + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFL, 36);
    private long generation;
    private boolean warned;

    private static final class StreamHistory {
        final String epoch;
        final ArrayDeque<StreamEvent> events = new ArrayDeque<>();
        long seq;

        StreamHistory(String epoch) {
            this.epoch = epoch;
        }
    }

    /** @param followed whether a stream has subscribers; such streams are never evicted */
    MemoryReplayStore(int eventsPerStream, int maxStreams, Predicate<StreamId> followed) {
        this.eventsPerStream = eventsPerStream;
        this.streams = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<StreamId, StreamHistory> eldest) {
                if (size() <= maxStreams) {
                    return false;
                }
                for (Iterator<StreamId> it = keySet().iterator(); it.hasNext();) {
                    if (!followed.test(it.next())) {
                        it.remove(); // the least recently used stream nobody follows
                        return false;
                    }
                }
                if (!warned) {
                    warned = true;
                    LOG.warning(() -> "Rowcast: more than " + maxStreams + " streams have subscribers; keeping "
                            + "all of them. Raise " + RowcastSettings.REPLAY_MAX_STREAMS + ". (Logged once.)");
                }
                return false;
            }
        };
    }

    @Override
    public Position head(StreamId stream) {
        StreamHistory history = history(stream);
        return new Position(history.epoch, history.seq);
    }

    @Override
    public Position append(StreamId stream, String type, EntityChange change) {
        StreamHistory history = history(stream);
        Position position = new Position(history.epoch, history.seq + 1);
        history.events.addLast(new StreamEvent(position, type, change));
        history.seq = position.seq();
        if (history.events.size() > eventsPerStream) {
            history.events.removeFirst();
        }
        return position;
    }

    @Override
    public Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
        StreamHistory history = streams.get(stream);
        if (history == null || !history.epoch.equals(from.epoch()) || from.seq() > history.seq) {
            return Optional.empty();
        }
        long missing = history.seq - from.seq();
        if (missing > history.events.size()) {
            return Optional.empty();
        }
        List<StreamEvent> all = new ArrayList<>(history.events);
        return Optional.of(List.copyOf(all.subList(all.size() - (int) missing, all.size())));
    }

    private StreamHistory history(StreamId stream) {
        return streams.computeIfAbsent(stream, s -> new StreamHistory(instance + "-" + Long.toString(++generation, 36)));
    }
}
