package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/**
 * Cluster mode's race made deterministic: a client resumes on this instance with a cursor another instance handed
 * it, before this instance delivered that far. The shared history is kept in memory here, as the relay would keep
 * it in Redis; this instance's engine is handed the changes when the test says, as its log reader would.
 */
class AheadCursorTest {

    private static final ReactiveEntityModel NOTE = new ReactiveEntityModel("Note", Object.class, "note", "note",
            "id", "id", List.of(new ColumnModel("topic", "topic", false), new ColumnModel("text", "text", false)),
            List.of(new ScopeModel("topic", "topic", Long.class)), null, List.of(), Map.of(), 0);
    private static final StreamId TOPIC_7 = new StreamId("note", "topic", 7L);
    private static final String EPOCH = "shared";

    /** The shared history of one stream, and the head of what this instance's engine delivered. */
    private static final class SharedHistory implements PositionedReplayStore {
        final List<StreamEvent> relayed = new ArrayList<>();
        volatile Position delivered = new Position(EPOCH, 0);

        @Override
        public void appended(StreamId stream, Position position, long logSeq) {
            delivered = position;
        }

        @Override
        public boolean holds(String channel) {
            return channel.equals("note");
        }

        @Override
        public Position head(StreamId stream) {
            return delivered;
        }

        @Override
        public Position append(StreamId stream, String type, EntityChange change) {
            throw new UnsupportedOperationException("positions come with the changes");
        }

        @Override
        public synchronized Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
            if (!from.epoch().equals(EPOCH) || from.seq() > delivered.seq()) {
                return Optional.empty();
            }
            return Optional.of(List.copyOf(relayed.subList((int) from.seq(), (int) delivered.seq())));
        }

        @Override
        public void reset(StreamId stream) {
        }

        @Override
        public void resetChannel(String channel) {
        }
    }

    private final SharedHistory history = new SharedHistory();
    private ChangeDispatcher dispatcher;

    @BeforeEach
    void start() {
        dispatcher = new ChangeDispatcher(RowcastSettings.read(key -> null), Optional.of(history), List.of(), null,
                Thread::new, Runnable::run);
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        dispatcher.stop();
    }

    /** The relay puts change {@code seq} on the shared history; no instance has delivered it yet. */
    private CapturedChange relay(long seq) {
        EntityChange change = new EntityChange(ChangeType.INSERT, "note", "note", Object.class, "id", seq,
                Map.of("id", seq, "topic", 7L, "text", "n" + seq), Map.of());
        synchronized (history) {
            history.relayed.add(new StreamEvent(new Position(EPOCH, seq), "afterInsert", change));
        }
        return new CapturedChange(NOTE, change, Map.of(TOPIC_7, new Position(EPOCH, seq)), seq);
    }

    /** This instance's log reader hands the change to its engine. */
    private void deliver(CapturedChange change) {
        dispatcher.complete(CaptureBridge.takeTicket(), List.of(change), null);
    }

    private RecordingSubscriber follow() throws InterruptedException {
        RecordingSubscriber socket = new RecordingSubscriber("alice");
        dispatcher.subscribe(socket, TOPIC_7, NOTE, null, null);
        assertEquals("subscribed", socket.next().getString("type"));
        return socket;
    }

    private static long seq(JsonObject frame) {
        return frame.getJsonObject("position").getJsonNumber("seq").longValue();
    }

    @Test
    void should_wait_for_this_instance_to_reach_a_cursor_from_a_faster_one_then_send_exactly_what_follows()
            throws Exception {
        RecordingSubscriber follower = follow(); // alice joined the stream here at seq 0
        CapturedChange one = relay(1);
        CapturedChange two = relay(2);
        CapturedChange three = relay(3);
        deliver(one);
        assertEquals(1, seq(follower.next()));
        // the faster instance sent alice seq 2; she moves here, where only seq 1 was delivered yet
        RecordingSubscriber moved = new RecordingSubscriber("alice");
        dispatcher.subscribe(moved, TOPIC_7, NOTE, null, new Position(EPOCH, 2));
        assertNull(moved.unread.poll(300, TimeUnit.MILLISECONDS), "it waits for this instance to reach seq 2");
        deliver(two);
        deliver(three);
        JsonObject subscribed = moved.next();
        assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
        JsonObject next = moved.next();
        assertEquals("change", next.getString("type"), "not replay_unavailable: " + next);
        assertEquals(3, seq(next), "exactly what followed the cursor");
        assertNull(moved.unread.poll(300, TimeUnit.MILLISECONDS), "and nothing twice");
        deliver(relay(4));
        assertEquals(4, seq(moved.next()), "then live");
    }

    @Test
    void should_answer_a_cursor_this_instance_never_reaches_with_replay_unavailable_after_the_bound() throws Exception {
        follow();
        RecordingSubscriber moved = new RecordingSubscriber("alice");
        long sent = System.nanoTime();
        dispatcher.subscribe(moved, TOPIC_7, NOTE, null, new Position(EPOCH, 9));
        assertNull(moved.unread.poll(SubscriptionManager.AHEAD_WAIT_MILLIS / 2, TimeUnit.MILLISECONDS),
                "it waits first");
        assertEquals("subscribed", moved.next().getString("type"));
        JsonObject error = moved.next();
        assertEquals("replay_unavailable", error.getString("code", null), error.toString());
        assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(SubscriptionManager.AHEAD_WAIT_MILLIS),
                "not before the bound");
    }

    @Test
    void should_answer_a_waiting_subscribe_before_an_unsubscribe_of_the_same_stream() throws Exception {
        follow();
        RecordingSubscriber moved = new RecordingSubscriber("alice");
        dispatcher.subscribe(moved, TOPIC_7, NOTE, null, new Position(EPOCH, 9));
        dispatcher.unsubscribe(moved, TOPIC_7, null);
        assertEquals("subscribed", moved.next().getString("type"));
        assertEquals("replay_unavailable", moved.next().getString("code", null));
        assertEquals("unsubscribed", moved.next().getString("type"));
    }
}
