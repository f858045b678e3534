package dev.rowcast.impl.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One channel's figures. Subscriptions and streams change on the dispatch thread only; frames and bytes are counted
 * there too, once per frame a subscriber is given (a shared frame text counts once per subscriber).
 */
public final class ChannelMeters {

    private final String channel;
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();
    private final Counter frames;
    private final Counter bytes;

    ChannelMeters(String channel, Meters meters) {
        this.channel = channel;
        this.frames = meters.counter("rowcast_frames_sent", "Stream frames (changes, batches, snapshots, replayed "
                + "changes) given to subscribers' sockets", "channel", channel);
        this.bytes = meters.counter("rowcast_frame_bytes_sent", "Characters of those frames (bytes for ASCII JSON)",
                "channel", channel);
        meters.gauge("rowcast_subscriptions", "Subscriptions now", "channel", channel, subscriptions::get);
        meters.gauge("rowcast_streams", "Streams (channel, scope, value) followed by at least one subscriber now",
                "channel", channel, streams::get);
    }

    public String channel() {
        return channel;
    }

    public void subscribed(int delta) {
        subscriptions.addAndGet(delta);
    }

    public void streamFollowed(int delta) {
        streams.addAndGet(delta);
    }

    /** A frame of {@code chars} characters went to one subscriber. */
    public void sent(int chars) {
        frames.inc();
        bytes.inc(chars);
    }

    public long subscriptions() {
        return subscriptions.get();
    }

    public long streams() {
        return streams.get();
    }

    public long frames() {
        return frames.count();
    }

    public long bytes() {
        return bytes.count();
    }
}
