package dev.rowcast.impl.cluster;

import java.util.List;

import dev.rowcast.impl.bridge.ReadinessContributor;

import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Readiness in cluster mode: DOWN while Redis is unreachable, for this instance delivers nothing then. Reads the
 * connections' state and the log reader's last read, never Redis itself.
 */
final class RedisReadiness implements ReadinessContributor {

    private final List<StatefulRedisConnection<String, String>> connections;
    private final LogReader log;

    RedisReadiness(List<StatefulRedisConnection<String, String>> connections, LogReader log) {
        this.connections = List.copyOf(connections);
        this.log = log;
    }

    @Override
    public String name() {
        return "redis-cluster";
    }

    @Override
    public boolean ready() {
        return log.reading() && connections.stream().allMatch(StatefulRedisConnection::isOpen);
    }

    @Override
    public String detail() {
        return ready() ? null : "Redis is unreachable; nothing is delivered until it answers (commits wait in the "
                + "outbox)";
    }
}
