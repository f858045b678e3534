package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.model.SnapshotModel;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/**
 * No subscription ends silently: one whose resync or subscribe fails ends with {@code subscription_lost}, and a socket
 * that cannot even be told is closed (issue #10). Everyone else goes on receiving.
 */
class SubscriptionLossTest {

    private static final ReactiveEntityModel NOTE = new ReactiveEntityModel("Note", Object.class, "note", "note",
            "id", "id", List.of(new ColumnModel("topic", "topic", false), new ColumnModel("text", "text", false)),
            List.of(new ScopeModel("topic", "topic", Long.class)), null, List.of(), Map.of(), 0);
    private static final StreamId TOPIC_7 = new StreamId("note", "topic", 7L);
    private static final StreamId TOPIC_8 = new StreamId("note", "topic", 8L);

    private final FlakyStore store = new FlakyStore();
    private ChangeDispatcher dispatcher;

    /**
     * A replay store whose connection comes and goes: appending a change whose text is "unreachable" fails, and so
     * do the next {@link #failHeads} reads of a head.
     */
    static final class FlakyStore implements ReplayStore {
        private final Map<StreamId, List<StreamEvent>> events = new HashMap<>();
        private final Map<StreamId, Integer> epochs = new HashMap<>();
        volatile int failHeads;
        volatile int headFailuresAfterAppendFails;

        @Override
        public synchronized Position head(StreamId stream) {
            if (failHeads > 0) {
                failHeads--;
                throw new IllegalStateException("probe: the replay store is unreachable");
            }
            return new Position(epoch(stream), events.getOrDefault(stream, List.of()).size());
        }

        @Override
        public synchronized Position append(StreamId stream, String type, EntityChange change) {
            if ("unreachable".equals(change.row().get("text"))) {
                failHeads = headFailuresAfterAppendFails;
                throw new IllegalStateException("probe: the replay store is unreachable");
            }
            List<StreamEvent> stored = events.computeIfAbsent(stream, s -> new ArrayList<>());
            Position position = new Position(epoch(stream), stored.size() + 1L);
            stored.add(new StreamEvent(position, type, change));
            return position;
        }

        @Override
        public synchronized Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
            List<StreamEvent> stored = events.getOrDefault(stream, List.of());
            if (!from.epoch().equals(epoch(stream)) || from.seq() > stored.size()) {
                return Optional.empty();
            }
            return Optional.of(List.copyOf(stored.subList((int) from.seq(), stored.size())));
        }

        @Override
        public synchronized void reset(StreamId stream) {
            events.remove(stream);
            epochs.merge(stream, 1, Integer::sum);
        }

        private String epoch(StreamId stream) {
            return "flaky-" + epochs.getOrDefault(stream, 0);
        }
    }

    /**
     * A recording socket: sending it a frame with {@link #failOn} throws; it is closed once the engine reports a failed
     * send.
     */
    static final class Socket extends RecordingSubscriber {
        volatile String failOn;
        volatile Throwable closedFor;

        Socket(String user) {
            super(user);
        }

        @Override
        public void send(OutboundFrame frame) {
            String marker = failOn;
            if (marker != null && frame.text().contains(marker)) {
                throw new IllegalStateException("probe: this send fails");
            }
            super.send(frame);
        }

        @Override
        public void sendFailed(Throwable failure) {
            closedFor = failure;
        }

        @Override
        public boolean isOpen() {
            return closedFor == null;
        }
    }

    @BeforeEach
    void start() {
        dispatcher = new ChangeDispatcher(RowcastSettings.read(Map.<String, String>of()::get), Optional.of(store),
                List.of(), null, Thread::new, Runnable::run);
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        dispatcher.stop();
    }

    private static CapturedChange note(long id, long topic, String text) {
        return new CapturedChange(NOTE, new EntityChange(ChangeType.INSERT, "note", "note", Object.class, "id", id,
                Map.of("id", id, "topic", topic, "text", text), Map.of()));
    }

    private void commit(CapturedChange change) {
        dispatcher.complete(CaptureBridge.takeTicket(), List.of(change), null);
    }

    private Socket follow(String user, StreamId stream, String id) throws InterruptedException {
        Socket socket = new Socket(user);
        dispatcher.subscribe(socket, stream, NOTE, Json.createValue(id), null);
        assertEquals("subscribed", socket.next().getString("type"));
        return socket;
    }

    /** The user's subscriptions once every task queued before this call has run. */
    private int subscriptionsOf(String user) throws Exception {
        return dispatcher.subscriptionsOf(user).get(5, TimeUnit.SECONDS).size();
    }

    private static String text(JsonObject change) {
        return change.getJsonObject("event").getJsonObject("row").getString("text");
    }

    @Test
    void should_tell_a_subscriber_whose_resync_fails_and_go_on_delivering_to_everyone_else() throws Exception {
        Socket lost = follow("lost", TOPIC_7, "s1");
        Socket same = follow("same", TOPIC_7, "s2");
        Socket other = follow("other", TOPIC_8, "s3");
        commit(note(1, 7, "first"));
        JsonObject first = lost.next();
        assertEquals("first", text(first));
        assertEquals("first", text(same.next()));

        store.headFailuresAfterAppendFails = 1; // the reset goes through; the first resync cannot read the head
        commit(note(2, 7, "unreachable"));
        commit(note(3, 7, "next"));
        commit(note(4, 8, "elsewhere"));

        JsonObject told = lost.next();
        assertEquals("error", told.getString("type"), told.toString());
        assertEquals("subscription_lost", told.getString("code"));
        assertEquals("s1", told.getString("id"), "the id of the subscribe that made the subscription");
        assertEquals("note", told.getString("channel"));
        assertEquals("topic", told.getJsonObject("scope").getString("col"));
        assertEquals(7, told.getJsonObject("scope").getInt("value"));

        JsonObject reset = same.next();
        assertEquals("replay_unavailable", reset.getString("code"), "the other subscriber of the stream resyncs");
        assertEquals("next", text(same.next()), "and goes on receiving");
        assertEquals("elsewhere", text(other.next()), "another stream is untouched");

        assertEquals(0, subscriptionsOf("lost"), "the server holds nothing for it");
        assertNull(lost.unread.poll(), "nothing more of the lost subscription follows");
        assertNull(lost.closedFor, "told, not closed");

        // subscribing again from its last position: the epoch is gone, so replay_unavailable, then live changes
        dispatcher.subscribe(lost, TOPIC_7, NOTE, Json.createValue("s4"),
                new Position(first.getJsonObject("position").getString("epoch"), 1));
        assertEquals("subscribed", lost.next().getString("type"));
        assertEquals("replay_unavailable", lost.next().getString("code"));
        commit(note(5, 7, "back"));
        assertEquals("back", text(lost.next()));
        assertEquals("back", text(same.next()));
    }

    @Test
    void should_answer_a_subscribe_that_fails_with_subscription_lost_and_keep_nothing() throws Exception {
        Socket socket = new Socket("a");
        store.failHeads = 1;
        dispatcher.subscribe(socket, TOPIC_7, NOTE, Json.createValue(42), null);
        JsonObject told = socket.next();
        assertEquals("subscription_lost", told.getString("code"), told.toString());
        assertEquals(42, told.getInt("id"));
        assertEquals(7, told.getJsonObject("scope").getInt("value"));
        assertEquals(0, subscriptionsOf("a"), "no half-made subscription is left behind");

        dispatcher.subscribe(socket, TOPIC_7, NOTE, Json.createValue(43), null);
        assertEquals("subscribed", socket.next().getString("type"), "a later subscribe works");
        commit(note(1, 7, "after"));
        assertEquals("after", text(socket.next()));
    }

    @Test
    void should_close_a_socket_that_cannot_even_be_told_its_subscription_is_lost() throws Exception {
        Socket doomed = follow("doomed", TOPIC_7, "s1");
        Socket fine = follow("fine", TOPIC_7, "s2");
        doomed.failOn = "subscription_lost";
        store.headFailuresAfterAppendFails = 1;
        commit(note(1, 7, "unreachable"));
        commit(note(2, 7, "next"));
        assertEquals("replay_unavailable", fine.next().getString("code"));
        assertEquals("next", text(fine.next()));
        assertEquals(0, subscriptionsOf("doomed"));
        assertNotNull(doomed.closedFor, "its socket is closed (1011) rather than left stale");
        assertFalse(doomed.isOpen());
        assertTrue(doomed.unread.isEmpty());
    }

    @Test
    void should_end_with_subscription_lost_a_subscription_whose_snapshot_and_its_fallback_both_fail() throws Exception {
        ReactiveEntityModel snapshotted = new ReactiveEntityModel("LossNote", Object.class, "loss_note", "loss_note",
                "id", "id", List.of(new ColumnModel("topic", "topic", false)),
                List.of(new ScopeModel("topic", "topic", Long.class)), new SnapshotModel(10, "id", "id", false),
                List.of(), Map.of(), 0);
        ReactiveChannels.registerSnapshotSource("loss_note", (scope, value) -> {
            store.failHeads = 1; // going on with live changes reads the head: that fails too
            throw new IllegalStateException("probe: the snapshot query fails");
        });
        StreamId stream = new StreamId("loss_note", "topic", 7L);
        Socket socket = new Socket("a");
        dispatcher.subscribe(socket, stream, snapshotted, Json.createValue("s1"), null);
        assertEquals("subscribed", socket.next().getString("type"));
        assertEquals("snapshot_unavailable", socket.next().getString("code"));
        JsonObject told = socket.next();
        assertEquals("subscription_lost", told.getString("code"), told.toString());
        assertEquals("s1", told.getString("id"));
        assertEquals("loss_note", told.getString("channel"));
        assertEquals(0, subscriptionsOf("a"), "not left holding changes for a snapshot that never comes");
    }
}
