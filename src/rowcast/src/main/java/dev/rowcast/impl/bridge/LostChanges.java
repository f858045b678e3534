package dev.rowcast.impl.bridge;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.spi.StreamId;

/**
 * The streams whose committed changes Rowcast could not keep (a transaction past its capture bound, a full dispatch
 * queue), so that each can be reset and its subscribers told: a dropped change is never silent. Bounded: past
 * {@code maxStreams} streams a change counts for its whole channel. Thread-safe.
 */
public final class LostChanges {

    private final int maxStreams;
    private Set<StreamId> streams = new HashSet<>();
    private Set<String> channels = new HashSet<>();
    private long changes;
    /** Why, for the log; null: a transaction past its capture bound. */
    private String reason;

    public LostChanges(int maxStreams) {
        this.maxStreams = maxStreams;
    }

    /** Records the streams a change would have been put on: each scope's value, and the old one if it moved. */
    public synchronized void add(CapturedChange captured) {
        changes++;
        String channel = captured.model().channel();
        if (channels.contains(channel)) {
            return;
        }
        EntityChange change = captured.change();
        for (ScopeModel scope : captured.model().scopes()) {
            addStream(channel, scope.column(), change.row().get(scope.column()));
            if (change.previous().containsKey(scope.column())) {
                Object old = change.previous().get(scope.column());
                if (!Objects.equals(old, change.row().get(scope.column()))) {
                    addStream(channel, scope.column(), old);
                }
            }
        }
    }

    /** Records that a whole channel lost changes, for a loss whose streams are unknown; {@link #count} says how many. */
    public synchronized void addChannel(String channel) {
        channels.add(channel);
        streams.removeIf(s -> s.channel().equals(channel));
    }

    /** Counts changes lost on the channels added. */
    public synchronized void count(long lostChanges) {
        changes += lostChanges;
    }

    public synchronized LostChanges because(String why) {
        reason = why;
        return this;
    }

    /** Why the changes were lost, or null for the usual reason (a transaction past its capture bound). */
    public synchronized String reason() {
        return reason;
    }

    /** Records a stream that lost changes. */
    public synchronized void addStream(StreamId stream) {
        changes++;
        addStream(stream.channel(), stream.column(), stream.value());
    }

    private void addStream(String channel, String column, Object value) {
        if (value == null || channels.contains(channel)) {
            return;
        }
        StreamId stream = new StreamId(channel, column, value);
        if (streams.contains(stream)) {
            return;
        }
        if (streams.size() >= maxStreams) {
            channels.add(channel); // too many to name one by one: the whole channel
            streams.removeIf(s -> s.channel().equals(channel));
        } else {
            streams.add(stream);
        }
    }

    public synchronized void addAll(LostChanges other) {
        LostChanges copy = other.drain();
        changes += copy.changes;
        copy.channels.forEach(channel -> {
            channels.add(channel);
            streams.removeIf(s -> s.channel().equals(channel));
        });
        copy.streams.forEach(stream -> addStream(stream.channel(), stream.column(), stream.value()));
    }

    /** Takes everything recorded so far, leaving this empty. */
    public synchronized LostChanges drain() {
        LostChanges taken = new LostChanges(maxStreams);
        taken.streams = streams;
        taken.channels = channels;
        taken.changes = changes;
        streams = new HashSet<>();
        channels = new HashSet<>();
        changes = 0;
        return taken;
    }

    public synchronized boolean isEmpty() {
        return changes == 0;
    }

    public synchronized Set<StreamId> streams() {
        return Set.copyOf(streams);
    }

    public synchronized Set<String> channels() {
        return Set.copyOf(channels);
    }

    /** How many changes were lost. */
    public synchronized long changes() {
        return changes;
    }
}
