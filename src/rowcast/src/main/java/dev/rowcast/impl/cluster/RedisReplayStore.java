package dev.rowcast.impl.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.PositionedReplayStore;
import dev.rowcast.impl.outbox.OutboxDecoder;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The shared replay history, as this instance's engine sees it. Positions come from the relay with each change; the
 * head of a stream is the last one this instance delivered (a stream it has not delivered since it started: the
 * newest history event at or before the log entry it released last), so a snapshot or replay here never claims
 * what this instance has yet to send. Events are kept as outbox rows and decoded again, so replayed values have the
 * types the live ones had. Dispatch thread only, like every store.
 */
final class RedisReplayStore implements PositionedReplayStore {

    private final RedisCommands<String, String> redis;
    private final Keys keys;
    private final OutboxDecoder decoder;
    private final Set<String> channels;
    private final long ttlMillis;
    private final RedisGrants grants;
    /** Bounded: a stream dropped here gets its head from Redis again, which is exact (see head). */
    private final Map<StreamId, Position> heads;
    private long released;

    RedisReplayStore(RedisCommands<String, String> redis, Keys keys, OutboxDecoder decoder, Set<String> channels,
            RowcastSettings.Cluster settings, long startSeq) {
        this(redis, keys, decoder, channels, settings, startSeq, 10_000);
    }

    RedisReplayStore(RedisCommands<String, String> redis, Keys keys, OutboxDecoder decoder, Set<String> channels,
            RowcastSettings.Cluster settings, long startSeq, int maxStreams) {
        this.heads = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<StreamId, Position> eldest) {
                return size() > maxStreams;
            }
        };
        this.redis = redis;
        this.keys = keys;
        this.decoder = decoder;
        this.channels = channels;
        this.ttlMillis = Relay.ttlMillis(settings);
        this.released = startSeq;
        this.grants = new RedisGrants(redis, keys, channels, ttlMillis);
    }

    @Override
    public dev.rowcast.impl.dispatch.SharedGrants grants() {
        return grants;
    }

    @Override
    public boolean holds(String channel) {
        return channels.contains(channel);
    }

    @Override
    public void appended(StreamId stream, Position position, long logSeq) {
        heads.put(stream, position);
        released = Math.max(released, logSeq);
    }

    @Override
    public Position head(StreamId stream) {
        Position known = heads.get(stream);
        if (known != null) {
            return known;
        }
        List<Object> head = Scripts.run(redis, Scripts.HEAD, ScriptOutputType.MULTI,
                List.of(keys.stream(stream, "epoch"), keys.stream(stream, "seq"), keys.stream(stream, "history")),
                List.of(String.valueOf(released), Relay.newEpochBase() + ".h", String.valueOf(ttlMillis)));
        Position position = new Position((String) head.get(0), (Long) head.get(1));
        heads.put(stream, position);
        return position;
    }

    @Override
    public Position append(StreamId stream, String type, EntityChange change) {
        throw new UnsupportedOperationException("in cluster mode positions come from the relay; " + stream
                + " got a change without one");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
        Position head = head(stream);
        if (!head.epoch().equals(from.epoch()) || from.seq() > head.seq()) {
            return Optional.empty(); // another epoch, or a cursor ahead of what this instance delivered yet
        }
        if (from.seq() == head.seq()) {
            return Optional.of(List.of());
        }
        List<Object> range = Scripts.run(redis, Scripts.RANGE, ScriptOutputType.MULTI,
                List.of(keys.stream(stream, "epoch"), keys.stream(stream, "history")),
                List.of(String.valueOf(from.seq() + 1), String.valueOf(head.seq())));
        if (range.size() < 2 || !from.epoch().equals(range.get(0))) {
            return Optional.empty();
        }
        List<Object> entries = (List<Object>) range.get(1);
        if (entries.size() != head.seq() - from.seq()) {
            return Optional.empty(); // trimmed by length or age
        }
        List<StreamEvent> events = new ArrayList<>(entries.size());
        long expected = from.seq() + 1;
        for (Object item : entries) {
            List<Object> entry = (List<Object>) item;
            String id = (String) entry.get(0);
            if (!id.equals(expected + "-0")) {
                return Optional.empty();
            }
            Map<String, String> fields = new HashMap<>();
            List<Object> raw = (List<Object>) entry.get(1);
            for (int i = 0; i + 1 < raw.size(); i += 2) {
                fields.put((String) raw.get(i), (String) raw.get(i + 1));
            }
            EntityChange change = null;
            for (CapturedChange decoded : decoder.decode(fields.get("t"), fields.get("p"), blankToNull(fields.get("b")),
                    blankToNull(fields.get("a")))) {
                if (decoded.model().channel().equals(stream.channel())) {
                    change = decoded.change();
                }
            }
            if (change == null) {
                return Optional.empty(); // the model changed since it was relayed
            }
            events.add(new StreamEvent(new Position(from.epoch(), expected), fields.get("e"), change));
            expected++;
        }
        return Optional.of(List.copyOf(events));
    }

    /** This instance lost changes of the stream; the shared history did not. Its head is read again from Redis. */
    @Override
    public void reset(StreamId stream) {
        heads.remove(stream);
    }

    @Override
    public void resetChannel(String channel) {
        heads.keySet().removeIf(stream -> stream.channel().equals(channel));
    }

    private static String blankToNull(String json) {
        return json == null || json.isEmpty() ? null : json;
    }
}
