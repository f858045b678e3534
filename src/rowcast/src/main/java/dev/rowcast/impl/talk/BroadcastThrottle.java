package dev.rowcast.impl.talk;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.rowcast.impl.dispatch.Subscriber;
import dev.rowcast.spi.StreamId;

/**
 * Throttles broadcasts per sender, stream and event, leading and trailing edge: the first broadcast of a window goes
 * at once, later ones wait and replace each other, and the last one goes when the window ends. So a burst costs two
 * frames, and the last value arrives. Talk thread only; its timers run there too.
 */
final class BroadcastThrottle {

    /** Sends a frame from a socket to the stream. */
    interface Send {
        void send(StreamId stream, Subscriber from, String frame);
    }

    private record Key(StreamId stream, String sender, String event) {
    }

    /** A sender's window on one stream and event: what arrived during it waits, and only the last value is kept. */
    private static final class Window {
        long ends;
        String waiting;
        Subscriber from;
        boolean scheduled;
    }

    private final ScheduledExecutorService thread;
    private final long windowNanos;
    private final Send send;
    private final Map<Key, Window> windows = new HashMap<>();

    BroadcastThrottle(ScheduledExecutorService thread, long windowMillis, Send send) {
        this.thread = thread;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.send = send;
    }

    /** @param sender who the window is kept for: the user's name, or the socket of an anonymous caller */
    void offer(StreamId stream, String sender, String event, Subscriber socket, String frame) {
        Key key = new Key(stream, sender, event);
        long now = System.nanoTime();
        Window window = windows.get(key);
        if (window == null || now - window.ends >= 0 && window.waiting == null) {
            if (window == null) {
                window = new Window();
                windows.put(key, window);
            }
            window.ends = now + windowNanos;
            send.send(stream, socket, frame);
            schedule(key, window);
            return;
        }
        window.waiting = frame;
        window.from = socket;
        schedule(key, window);
    }

    private void schedule(Key key, Window window) {
        if (window.scheduled) {
            return;
        }
        window.scheduled = true;
        long delay = Math.max(0, window.ends - System.nanoTime());
        try {
            thread.schedule(() -> ended(key, window), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            windows.remove(key); // stopping
        }
    }

    private void ended(Key key, Window window) {
        window.scheduled = false;
        if (System.nanoTime() - window.ends < 0) {
            schedule(key, window); // a leading send moved the window on since this was scheduled
            return;
        }
        if (window.waiting == null) {
            windows.remove(key, window); // quiet for a whole window: forget it, memory stays bounded
            return;
        }
        String frame = window.waiting;
        Subscriber from = window.from;
        window.waiting = null;
        window.from = null;
        window.ends = System.nanoTime() + windowNanos;
        send.send(key.stream(), from, frame);
        schedule(key, window);
    }

    /** How many windows are open. */
    int open() {
        return windows.size();
    }
}
