package dev.rowcast.impl.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;

import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamId;

/**
 * The default replay store: the last {@code framesPerStream} frames of at most {@code maxStreams} streams, in
 * memory, least recently used first out, except streams someone follows: evicting one would start a new epoch
 * under its subscribers' feet. A stream that is evicted and comes back gets a new epoch, and so does every stream
 * after a restart: the epoch is what tells a client its cursor no longer covers the history.
 * <p>
 * Not thread-safe: only the dispatch thread calls it.
 */
final class MemoryReplayStore implements ReplayStore {

    private static final Logger LOG = Logger.getLogger(MemoryReplayStore.class.getName());

    private final int framesPerStream;
    private final Map<StreamId, StreamHistory> streams;
    private final String instance = Long.toString(System.currentTimeMillis(), 36)
            + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFL, 36);
    private long generation;
    private boolean warned;

    /** A frame, built when first read: most frames of streams nobody follows are never asked for. */
    private static final class StoredFrame {
        private final Position position;
        private Function<Position, String> builder;
        private String text;

        StoredFrame(Position position, Function<Position, String> builder) {
            this.position = position;
            this.builder = builder;
        }

        String text() {
            if (text == null) {
                text = builder.apply(position);
                builder = null;
            }
            return text;
        }
    }

    private static final class StreamHistory {
        final String epoch;
        final ArrayDeque<StoredFrame> frames = new ArrayDeque<>();
        long seq;

        StreamHistory(String epoch) {
            this.epoch = epoch;
        }
    }

    /** @param followed whether a stream has subscribers; such streams are never evicted */
    MemoryReplayStore(int framesPerStream, int maxStreams, Predicate<StreamId> followed) {
        this.framesPerStream = framesPerStream;
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
    public Position append(StreamId stream, Function<Position, String> frameAt) {
        StreamHistory history = history(stream);
        Position position = new Position(history.epoch, history.seq + 1);
        history.frames.addLast(new StoredFrame(position, frameAt));
        history.seq = position.seq();
        if (history.frames.size() > framesPerStream) {
            history.frames.removeFirst();
        }
        return position;
    }

    @Override
    public Optional<List<String>> framesAfter(StreamId stream, Position from) {
        StreamHistory history = streams.get(stream);
        if (history == null || !history.epoch.equals(from.epoch()) || from.seq() > history.seq) {
            return Optional.empty();
        }
        long missing = history.seq - from.seq();
        if (missing > history.frames.size()) {
            return Optional.empty();
        }
        List<StoredFrame> all = new ArrayList<>(history.frames);
        List<String> after = new ArrayList<>((int) missing);
        for (StoredFrame frame : all.subList(all.size() - (int) missing, all.size())) {
            after.add(frame.text());
        }
        return Optional.of(after);
    }

    private StreamHistory history(StreamId stream) {
        return streams.computeIfAbsent(stream, s -> new StreamHistory(instance + "-" + Long.toString(++generation, 36)));
    }
}
