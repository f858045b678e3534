package dev.rowcast.impl.cluster;

import dev.rowcast.spi.StreamId;

/** Redis key names, all under one prefix so applications (and tests) sharing a Redis stay apart. */
final class Keys {

    final String cursor;
    final String lease;
    final String log;
    final String logSeq;
    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
        this.cursor = prefix + ":relay:cursor";
        this.lease = prefix + ":relay:lease";
        this.log = prefix + ":log";
        this.logSeq = prefix + ":log:seq";
    }

    /** A user's subscribe bucket. */
    String user(String name) {
        return prefix + ":u:" + name;
    }

    /** seq, epoch and history of a stream; the value as text is enough, one scope has one Java type. */
    String stream(StreamId stream, String part) {
        return prefix + ":s:" + stream.channel() + ":" + stream.column() + ":" + stream.value() + ":" + part;
    }
}
