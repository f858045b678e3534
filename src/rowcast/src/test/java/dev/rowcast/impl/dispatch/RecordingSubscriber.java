package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.StringReader;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.impl.security.ConnectionIdentity;
import dev.rowcast.spi.Viewer;

/**
 * A socket that keeps what it is sent, for the tests of the engine and of talk (public for those): every frame in
 * {@link #frames}, and those {@link #next()} has not taken yet in {@link #unread}, as the engine sends from its own
 * thread. A test that needs a send that throws or a socket closed on a failed send subclasses it.
 */
public class RecordingSubscriber implements Subscriber {

    /** Every frame sent, in order; safe to read while another thread sends. */
    public final List<String> frames = new CopyOnWriteArrayList<>();
    /** The frames sent that {@link #next()} has not taken yet. */
    public final LinkedBlockingQueue<String> unread = new LinkedBlockingQueue<>();
    /** What {@link #isOpen()} answers: clear it for a socket that closed without a word. */
    public volatile boolean open = true;
    private final Viewer viewer;

    /** @param user the principal's name; null for an anonymous socket */
    public RecordingSubscriber(String user) {
        Principal principal = user == null ? null : () -> user;
        viewer = new ConnectionIdentity(principal, Set.of(), null);
    }

    @Override
    public void send(OutboundFrame frame) {
        String text = frame.text();
        frames.add(text);
        unread.add(text);
    }

    @Override
    public Viewer viewer() {
        return viewer;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The next unread frame, parsed; fails the test if none comes within 5 s. */
    public JsonObject next() throws InterruptedException {
        String frame = unread.poll(5, TimeUnit.SECONDS);
        assertNotNull(frame, "a frame within 5 s");
        return Json.createReader(new StringReader(frame)).readObject();
    }
}
