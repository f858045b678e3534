package dev.rowcast.impl.talk;

import java.util.Map;

/**
 * The other instances of the application, as presence and broadcasts see them (cluster mode). Streams are named by
 * {@link Talk#name}. Every method but {@link #broadcast} answers with the stream's members across every instance,
 * user to entry in the order they came; each throws when the others cannot be reached, and {@link Talk} then goes on
 * with what this instance knows.
 */
public interface Peers {

    /** What the other instances did. Called on any thread; the implementation is {@link Talk}, which queues it. */
    interface Listener {

        void joined(String stream, String user, String entry);

        void left(String stream, String user);

        void broadcast(String stream, String frame);
    }

    /** Starts telling {@code listener} what the other instances do. */
    void listen(Listener listener);

    /**
     * Makes {@code user} present on the stream through this instance, unless that would make more than {@code limit}
     * users present across every instance.
     *
     * @return the members after, or {@code null} when the stream is full
     */
    Map<String, String> join(String stream, String user, String entry, int limit);

    /** {@code user} has no socket on the stream here any more; present still when on another instance. */
    Map<String, String> leave(String stream, String user);

    /** Keeps this instance's members of a stream alive (user to entry), and drops the expired entries of others. */
    Map<String, String> refresh(String stream, Map<String, String> here);

    /** Sends a broadcast frame to the other instances' subscribers of the stream; never waits. */
    void broadcast(String stream, String frame);

    /** How often {@link #refresh} must run for this instance's entries not to expire. */
    long refreshMillis();

    void close();
}
