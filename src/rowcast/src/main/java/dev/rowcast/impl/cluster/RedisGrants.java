package dev.rowcast.impl.cluster;

import java.util.Set;

import dev.rowcast.impl.dispatch.SharedGrants;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Where callers joined streams, in one Redis hash per stream (caller to position), so a caller may resume on any
 * instance. Kept as long as the stream's history. Dispatch thread only, on the replay store's connection. A join
 * is written asynchronously: a caller that moves before it arrives resyncs through a snapshot, which is safe.
 */
final class RedisGrants implements SharedGrants {

    private final RedisCommands<String, String> redis;
    private final Keys keys;
    private final Set<String> channels;
    private final long ttlMillis;

    RedisGrants(RedisCommands<String, String> redis, Keys keys, Set<String> channels, long ttlMillis) {
        this.redis = redis;
        this.keys = keys;
        this.channels = channels;
        this.ttlMillis = ttlMillis;
    }

    /** Sent without waiting for the answer: the dispatch thread does not wait a round trip per new subscriber. */
    @Override
    public void joined(String caller, StreamId stream, Position head) {
        if (channels.contains(stream.channel())) {
            redis.getStatefulConnection().async().eval(Scripts.JOIN, ScriptOutputType.INTEGER,
                    new String[] {keys.stream(stream, "grants")}, caller, head.epoch(), String.valueOf(head.seq()),
                    String.valueOf(ttlMillis));
        }
    }

    @Override
    public Position joinedAt(String caller, StreamId stream) {
        if (!channels.contains(stream.channel())) {
            return null;
        }
        String at = redis.hget(keys.stream(stream, "grants"), caller);
        return at == null ? null : LogReader.position(at);
    }
}
