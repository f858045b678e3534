package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.visibility.Visibility;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

/** Fan-out: one text per (change, stream) for everyone who sees the same thing, however many subscribers. */
class StreamPublisherTest {

    private static final ReactiveEntityModel NOTE = new ReactiveEntityModel("Note", Object.class, "note", "note",
            "id", "id", List.of(new ColumnModel("topic", "topic", false), new ColumnModel("text", "text", false)),
            List.of(new ScopeModel("topic", "topic", Long.class)), null, List.of(), Map.of(), 0);
    private static final StreamId TOPIC_7 = new StreamId("note", "topic", 7L);

    /** Runs dispatch-thread work at once, as the tests run on one thread. */
    static final SubscriptionManager.Tasks DIRECT = new SubscriptionManager.Tasks() {
        @Override
        public boolean offer(long bytes, Runnable work) {
            work.run();
            return true;
        }

        @Override
        public void force(long bytes, Runnable work) {
            work.run();
        }
    };

    private static CapturedChange insert(long id, String text) {
        return new CapturedChange(NOTE, new EntityChange(ChangeType.INSERT, "note", "note", Object.class, "id", id,
                Map.of("id", id, "topic", 7L, "text", text), Map.of()));
    }

    private static List<RecordingSubscriber> subscribe(SubscriptionRegistry registry, String... users) {
        List<RecordingSubscriber> sockets = new ArrayList<>();
        for (String user : users) {
            RecordingSubscriber socket = new RecordingSubscriber(user);
            registry.add(new Subscription(socket, TOPIC_7, NOTE, null));
            sockets.add(socket);
        }
        return sockets;
    }

    @Test
    void should_send_every_subscriber_the_same_text_instance() {
        SubscriptionRegistry registry = new SubscriptionRegistry();
        List<RecordingSubscriber> sockets = subscribe(registry, "a", "b", "c");
        MemoryReplayStore store = new MemoryReplayStore(16, 16, s -> true);
        String epoch = store.head(TOPIC_7).epoch();
        CapturedChange insert = insert(1, "hello");
        new StreamPublisher(registry, store, new Visibility(List.of()), new Repairs(100), Long.MAX_VALUE)
                .publish(insert);
        String first = sockets.get(0).frames.get(0);
        assertTrue(first.contains("\"text\":\"hello\""), first);
        for (RecordingSubscriber socket : sockets) {
            assertEquals(1, socket.frames.size());
            assertSame(first, socket.frames.get(0), "serialized once, not once per subscriber");
        }
        StreamEvent stored = store.eventsAfter(TOPIC_7, new Position(epoch, 0)).orElseThrow().get(0);
        assertSame(insert.change(), stored.change(), "the store keeps the change itself, not text to parse back");
        assertEquals(new Position(epoch, 1), stored.position());
        assertEquals("afterInsert", stored.type());
    }

    @Test
    void should_record_the_lag_once_per_stream_and_count_frames_per_subscriber() {
        dev.rowcast.impl.metrics.RowcastMetrics metrics = dev.rowcast.impl.metrics.RowcastMetrics.local();
        SubscriptionRegistry registry = new SubscriptionRegistry(metrics);
        subscribe(registry, "a", "b", "c");
        new StreamPublisher(registry, new MemoryReplayStore(16, 16, s -> true), new Visibility(List.of()),
                new Repairs(100), Long.MAX_VALUE, metrics).publish(insert(1, "hello"), System.nanoTime());
        long[] lag = metrics.lagBuckets().counts();
        assertEquals(1, java.util.Arrays.stream(lag).sum(), "once per (change, stream), not per subscriber");
        assertEquals(3, metrics.channel("note").frames());
        assertEquals(3, metrics.channel("note").subscriptions());
        assertEquals(1, metrics.channel("note").streams());
    }

    @Test
    void should_share_one_text_per_verdict_when_a_row_filter_changes_some_views() {
        RowFilter redactForEve = (viewer, row) -> viewer.principal().getName().equals("eve")
                ? RowVisibility.without("text") : RowVisibility.VISIBLE;
        SubscriptionRegistry registry = new SubscriptionRegistry();
        List<RecordingSubscriber> sockets = subscribe(registry, "a", "b", "eve");
        new StreamPublisher(registry, new MemoryReplayStore(16, 16, s -> true), new Visibility(List.of(redactForEve)),
                new Repairs(100), Long.MAX_VALUE)
                .publish(insert(2, "secret"));
        String a = sockets.get(0).frames.get(0);
        String eve = sockets.get(2).frames.get(0);
        assertSame(a, sockets.get(1).frames.get(0), "a and b see the same, so they share one text");
        assertNotSame(a, eve);
        assertTrue(a.contains("secret"));
        assertFalse(eve.contains("secret"), eve);
    }

    @Test
    void should_show_a_row_filter_the_same_java_types_on_replay_as_live() {
        List<String> seen = new ArrayList<>();
        RowFilter recorder = (viewer, row) -> {
            seen.add(row.eventType() + ":" + row.get("topic").getClass().getSimpleName());
            return RowVisibility.VISIBLE;
        };
        Visibility visibility = new Visibility(List.of(recorder));
        SubscriptionRegistry registry = new SubscriptionRegistry();
        MemoryReplayStore store = new MemoryReplayStore(16, 16, s -> true);
        String epoch = store.head(TOPIC_7).epoch();
        SubscriptionManager manager = new SubscriptionManager(registry, store, 10, Runnable::run, DIRECT, () -> 0,
                visibility, stream -> { });
        RecordingSubscriber socket = new RecordingSubscriber("b");
        manager.subscribe(socket, TOPIC_7, NOTE, null, null); // joins at seq 0
        new StreamPublisher(registry, store, visibility, new Repairs(100), Long.MAX_VALUE).publish(insert(3, "x"));
        manager.subscribe(socket, TOPIC_7, NOTE, null, new Position(epoch, 0)); // catches up from its join

        assertEquals(List.of("afterInsert:Long", "afterInsert:Long"), seen, "live, then replay: one type");
        String replayed = socket.frames.get(socket.frames.size() - 1);
        assertTrue(replayed.startsWith("{\"replayed\":true,\"type\":\"change\""), replayed);
    }

    @Test
    void should_reset_only_the_stream_whose_replay_store_append_fails() {
        ReactiveEntityModel twoScopes = new ReactiveEntityModel("Note", Object.class, "note", "note", "id", "id",
                List.of(new ColumnModel("topic", "topic", false), new ColumnModel("text", "text", false)),
                List.of(new ScopeModel("topic", "topic", Long.class), new ScopeModel("id", "id", Long.class)), null,
                List.of(), Map.of(), 0);
        MemoryReplayStore memory = new MemoryReplayStore(16, 16, s -> true);
        ReplayStore failsOnTopic = new ReplayStore() {
            @Override
            public Position head(StreamId stream) {
                return memory.head(stream);
            }

            @Override
            public Position append(StreamId stream, String type, EntityChange change) {
                if (stream.column().equals("topic")) {
                    throw new NoClassDefFoundError("probe: the store fails with an Error");
                }
                return memory.append(stream, type, change);
            }

            @Override
            public java.util.Optional<List<StreamEvent>> eventsAfter(StreamId stream, Position from) {
                return memory.eventsAfter(stream, from);
            }
        };
        SubscriptionRegistry registry = new SubscriptionRegistry();
        RecordingSubscriber byId = new RecordingSubscriber("a");
        registry.add(new Subscription(byId, new StreamId("note", "id", 5L), twoScopes, null));
        Repairs repairs = new Repairs(100);
        new StreamPublisher(registry, failsOnTopic, new Visibility(List.of()), repairs, Long.MAX_VALUE)
                .publish(new CapturedChange(twoScopes, insert(5, "x").change()));
        assertEquals(1, byId.frames.size(), "the other stream of the change still gets it");
        assertEquals(Set.of(TOPIC_7), repairs.lost.streams(), "the failing stream is reset, not silently skipped");
    }

    @Test
    void should_resync_a_subscriber_whose_stream_changed_epoch_under_it() {
        SubscriptionRegistry registry = new SubscriptionRegistry();
        MemoryReplayStore store = new MemoryReplayStore(16, 16, s -> true);
        RecordingSubscriber socket = new RecordingSubscriber("a");
        Subscription subscription = new Subscription(socket, TOPIC_7, NOTE, null);
        subscription.liveAfter(new Position("an-epoch-the-store-dropped", 3));
        registry.add(subscription);
        Repairs repairs = new Repairs(100);
        new StreamPublisher(registry, store, new Visibility(List.of()), repairs, Long.MAX_VALUE).publish(insert(1, "x"));
        assertEquals(List.of(), socket.frames, "not a silent jump to another epoch");
        assertEquals(List.of(subscription), repairs.takeBroken());
    }

    @Test
    void should_send_a_batch_before_its_window_ends_once_it_is_large() {
        ReactiveEntityModel batched = new ReactiveEntityModel("Note", Object.class, "note", "note", "id", "id",
                NOTE.columns(), NOTE.scopes(), null, List.of(), Map.of(), 10_000);
        SubscriptionRegistry registry = new SubscriptionRegistry();
        RecordingSubscriber socket = new RecordingSubscriber("a");
        Subscription subscription = new Subscription(socket, TOPIC_7, batched, null);
        registry.add(subscription);
        StreamPublisher publisher = new StreamPublisher(registry, new MemoryReplayStore(16, 16, s -> true),
                new Visibility(List.of()), new Repairs(100), 1_500);
        for (int i = 0; i < 6; i++) {
            publisher.publish(new CapturedChange(batched, insert(i, "y".repeat(300)).change()));
        }
        assertEquals(2, socket.frames.size(), "two full batches went out within the 10 s window");
        assertTrue(socket.frames.get(0).contains("\"count\":3"), socket.frames.get(0));
    }
}
