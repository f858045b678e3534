package dev.rowcast.impl.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.logging.Logger;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.ChangeSize;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/**
 * The default replay store: the last {@code eventsPerStream} events of at most {@code maxStreams} streams, in
 * memory, bounded in bytes per stream and in total (sizes estimated from the changes' values). Past the total, the
 * least recently used streams lose their history first, then their records; streams someone follows keep their
 * record (evicting one would start a new epoch under its subscribers' feet), though not necessarily their history.
 * A stream that is evicted or reset and comes back gets a new epoch, and so does every stream after a restart: the
 * epoch is what tells a client its cursor no longer covers the history.
 * <p>
 * Not thread-safe: only the dispatch thread calls it.
 */
final class MemoryReplayStore implements ReplayStore {

    private static final Logger LOG = Logger.getLogger(MemoryReplayStore.class.getName());
    /** A stream's record: the map entry, the history object, its epoch string and deque. */
    private static final long STREAM_OVERHEAD = 256;

    private final int eventsPerStream;
    private final int maxStreams;
    private final long maxBytesPerStream;
    private final long maxBytes;
    private final Predicate<StreamId> followed;
    private final Map<StreamId, StreamHistory> streams = new LinkedHashMap<>(1024, 0.75f, true);
    private final String instance = Long.toString(System.currentTimeMillis(), 36)
            + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFL, 36);
    private long generation;
    private long totalBytes;
    private boolean warnedStreams;
    private boolean warnedBytes;

    private record Kept(StreamEvent event, long bytes) {
    }

    private static final class StreamHistory {
        final String epoch;
        final long recordBytes;
        final ArrayDeque<Kept> events = new ArrayDeque<>();
        long eventBytes;
        long seq;

        StreamHistory(String epoch, long recordBytes) {
            this.epoch = epoch;
            this.recordBytes = recordBytes;
        }
    }

    /** @param followed whether a stream has subscribers; such streams keep their record */
    MemoryReplayStore(int eventsPerStream, int maxStreams, Predicate<StreamId> followed) {
        this(eventsPerStream, maxStreams, Long.MAX_VALUE, Long.MAX_VALUE, followed);
    }

    MemoryReplayStore(int eventsPerStream, int maxStreams, long maxBytesPerStream, long maxBytes,
            Predicate<StreamId> followed) {
        this.eventsPerStream = eventsPerStream;
        this.maxStreams = maxStreams;
        this.maxBytesPerStream = maxBytesPerStream;
        this.maxBytes = maxBytes;
        this.followed = followed;
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
        history.seq = position.seq();
        long bytes = ChangeSize.of(change);
        history.events.addLast(new Kept(new StreamEvent(position, type, change), bytes));
        history.eventBytes += bytes;
        totalBytes += bytes;
        while (!history.events.isEmpty()
                && (history.events.size() > eventsPerStream || history.eventBytes > maxBytesPerStream)) {
            dropOldest(history);
        }
        if (totalBytes > maxBytes) {
            trim();
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
        List<StreamEvent> after = new ArrayList<>((int) missing);
        Iterator<Kept> newestFirst = history.events.descendingIterator();
        for (long i = 0; i < missing; i++) {
            after.add(newestFirst.next().event());
        }
        Collections.reverse(after);
        return Optional.of(List.copyOf(after));
    }

    @Override
    public void reset(StreamId stream) {
        StreamHistory gone = streams.remove(stream);
        if (gone != null) {
            totalBytes -= gone.recordBytes + gone.eventBytes; // the next access starts a new epoch
        }
    }

    @Override
    public void resetChannel(String channel) {
        for (Iterator<Map.Entry<StreamId, StreamHistory>> it = streams.entrySet().iterator(); it.hasNext();) {
            Map.Entry<StreamId, StreamHistory> entry = it.next();
            if (entry.getKey().channel().equals(channel)) {
                totalBytes -= entry.getValue().recordBytes + entry.getValue().eventBytes;
                it.remove();
            }
        }
    }

    /** Bytes this store counts; for tests. */
    long bytes() {
        return totalBytes;
    }

    private StreamHistory history(StreamId stream) {
        StreamHistory history = streams.get(stream);
        if (history != null) {
            return history;
        }
        history = new StreamHistory(instance + "-" + Long.toString(++generation, 36),
                STREAM_OVERHEAD + ChangeSize.value(stream.value()));
        streams.put(stream, history);
        totalBytes += history.recordBytes;
        if (streams.size() > maxStreams) {
            evictOneUnfollowed(stream);
        }
        if (totalBytes > maxBytes) {
            trim();
        }
        return history;
    }

    private void evictOneUnfollowed(StreamId keep) {
        for (Iterator<Map.Entry<StreamId, StreamHistory>> it = streams.entrySet().iterator(); it.hasNext();) {
            Map.Entry<StreamId, StreamHistory> eldest = it.next();
            if (!eldest.getKey().equals(keep) && !followed.test(eldest.getKey())) {
                totalBytes -= eldest.getValue().recordBytes + eldest.getValue().eventBytes;
                it.remove(); // the least recently used stream nobody follows
                return;
            }
        }
        if (!warnedStreams) {
            warnedStreams = true;
            LOG.warning(() -> "ROWCAST-015: more than " + maxStreams + " streams have subscribers; keeping all of them. "
                    + "Raise " + RowcastSettings.REPLAY_MAX_STREAMS + ". (Logged once.)");
        }
    }

    /**
     * Brings the total under the bound with some room, so trimming is rare: first the history of the least recently
     * used streams, then the records of streams nobody follows.
     */
    private void trim() {
        long target = maxBytes - maxBytes / 8;
        for (Iterator<StreamHistory> it = streams.values().iterator(); it.hasNext() && totalBytes > target;) {
            StreamHistory history = it.next();
            while (!history.events.isEmpty() && totalBytes > target) {
                dropOldest(history);
            }
        }
        for (Iterator<Map.Entry<StreamId, StreamHistory>> it = streams.entrySet().iterator(); it.hasNext()
                && totalBytes > target;) {
            Map.Entry<StreamId, StreamHistory> entry = it.next();
            if (!followed.test(entry.getKey())) {
                totalBytes -= entry.getValue().recordBytes + entry.getValue().eventBytes;
                it.remove();
            }
        }
        if (totalBytes > target && !warnedBytes) {
            warnedBytes = true;
            LOG.warning(() -> "ROWCAST-016: the records of followed streams alone exceed " + RowcastSettings.REPLAY_MAX_BYTES
                    + "; keeping them. (Logged once.)");
        }
    }

    private void dropOldest(StreamHistory history) {
        Kept oldest = history.events.removeFirst();
        history.eventBytes -= oldest.bytes();
        totalBytes -= oldest.bytes();
    }
}
