package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

class MemoryReplayStoreTest {

    private final StreamId a = new StreamId("message", "conversation_id", 1L);
    private final StreamId b = new StreamId("message", "conversation_id", 2L);

    @Test
    void should_number_each_stream_contiguously_from_one() {
        MemoryReplayStore store = new MemoryReplayStore(10, 10, s -> false);
        Position head = store.head(a);
        assertEquals(0, head.seq());
        assertEquals(new Position(head.epoch(), 1), store.append(a, "afterInsert", change("f")));
        assertEquals(new Position(head.epoch(), 2), store.append(a, "afterInsert", change("f")));
        assertEquals(1, store.append(b, "afterInsert", change("x")).seq());
        assertEquals(List.of("f2"), texts(store, a, new Position(head.epoch(), 1)).orElseThrow());
        assertEquals(List.of(), texts(store, a, new Position(head.epoch(), 2)).orElseThrow());
    }

    @Test
    void should_refuse_positions_it_cannot_cover() {
        MemoryReplayStore store = new MemoryReplayStore(2, 10, s -> false);
        String epoch = store.head(a).epoch();
        for (int i = 0; i < 5; i++) {
            store.append(a, "afterInsert", change("f"));
        }
        assertEquals(List.of("f4", "f5"), texts(store, a, new Position(epoch, 3)).orElseThrow());
        assertTrue(texts(store, a, new Position(epoch, 2)).isEmpty(), "f3 was dropped");
        assertTrue(texts(store, a, new Position("other", 4)).isEmpty(), "another epoch");
        assertTrue(texts(store, a, new Position(epoch, 6)).isEmpty(), "ahead of the head");
    }

    @Test
    void should_give_an_evicted_stream_a_new_epoch_and_a_restarted_server_another() {
        MemoryReplayStore store = new MemoryReplayStore(10, 1, s -> false);
        String first = store.head(a).epoch();
        store.append(a, "afterInsert", change("f"));
        store.head(b); // evicts a
        Position again = store.head(a);
        assertNotEquals(first, again.epoch());
        assertEquals(0, again.seq());
        assertNotEquals(store.head(b).epoch(), new MemoryReplayStore(10, 10, s -> false).head(b).epoch());
    }

    @Test
    void should_never_evict_a_stream_that_has_subscribers() {
        StreamId c = new StreamId("message", "conversation_id", 3L);
        MemoryReplayStore store = new MemoryReplayStore(10, 2, stream -> stream.equals(a));
        String followed = store.head(a).epoch();
        store.append(a, "afterInsert", change("f"));
        store.head(b);
        store.head(c); // over the limit: b goes, though a is older
        assertEquals(new Position(followed, 1), store.head(a), "a keeps its epoch and history");
        assertEquals(List.of("f1"), texts(store, a, new Position(followed, 0)).orElseThrow());
        assertEquals(0, store.head(b).seq());

        MemoryReplayStore allFollowed = new MemoryReplayStore(10, 1, stream -> true);
        String kept = allFollowed.head(a).epoch();
        allFollowed.head(b); // nothing may go: the limit gives way (and says so once)
        assertEquals(kept, allFollowed.head(a).epoch());
    }

    @Test
    void should_give_back_the_change_and_event_type_it_was_given() {
        MemoryReplayStore store = new MemoryReplayStore(10, 10, s -> false);
        String epoch = store.head(a).epoch();
        EntityChange change = change("x");
        store.append(a, "leave", change);
        StreamEvent event = store.eventsAfter(a, new Position(epoch, 0)).orElseThrow().get(0);
        assertSame(change, event.change(), "no copy, no text: the same Java values as live");
        assertEquals("leave", event.type());
        assertEquals(new Position(epoch, 1), event.position());
    }

    @Test
    void should_bound_each_streams_history_in_bytes() {
        MemoryReplayStore store = new MemoryReplayStore(100, 10, 3_000, Long.MAX_VALUE, s -> false);
        String epoch = store.head(a).epoch();
        for (int i = 0; i < 10; i++) {
            store.append(a, "afterInsert", change("x".repeat(400)));
        }
        // each change is estimated at about 1,300 bytes: two fit in 3,000
        assertEquals(2, store.eventsAfter(a, new Position(epoch, 8)).orElseThrow().size());
        assertTrue(store.eventsAfter(a, new Position(epoch, 7)).isEmpty(), "older ones were dropped for bytes");
        assertTrue(store.bytes() < 3_000 + 1_000, "total " + store.bytes());
    }

    @Test
    void should_bound_the_total_in_bytes_dropping_the_least_recently_used_history_first() {
        MemoryReplayStore store = new MemoryReplayStore(100, 100, Long.MAX_VALUE, 20_000, s -> false);
        String epochA = store.head(a).epoch();
        String epochB = store.head(b).epoch();
        for (int i = 0; i < 10; i++) {
            store.append(a, "afterInsert", change("x".repeat(400)));
        }
        for (int i = 0; i < 30; i++) {
            store.append(b, "afterInsert", change("y".repeat(400)));
        }
        assertTrue(store.bytes() <= 20_000, "total " + store.bytes());
        assertTrue(store.eventsAfter(a, new Position(epochA, 9)).isEmpty(), "a, used least recently, lost its history");
        assertTrue(store.eventsAfter(b, new Position(epochB, 29)).isPresent(), "b keeps its newest");
        for (int i = 0; i < 200; i++) {
            store.head(new StreamId("message", "conversation_id", 1_000L + i)); // records cost bytes too
        }
        assertTrue(store.bytes() <= 20_000, "total " + store.bytes());
    }

    @Test
    void should_start_a_new_epoch_on_reset_so_no_old_cursor_replays_a_hole() {
        MemoryReplayStore store = new MemoryReplayStore(10, 10, s -> true);
        String epoch = store.head(a).epoch();
        store.append(a, "afterInsert", change("f"));
        store.append(b, "afterInsert", change("f"));
        store.reset(a);
        Position fresh = store.head(a);
        assertNotEquals(epoch, fresh.epoch());
        assertEquals(0, fresh.seq());
        assertTrue(store.eventsAfter(a, new Position(epoch, 0)).isEmpty());
        assertTrue(store.eventsAfter(a, new Position(epoch, 1)).isEmpty());
        String epochB = store.head(b).epoch();
        store.resetChannel("message");
        assertNotEquals(epochB, store.head(b).epoch(), "every stream of the channel");
        assertNotEquals(fresh.epoch(), store.head(a).epoch());
    }

    private int appended;

    /** A change whose text is its label and, for "f", its append number: f1, f2, ... */
    private EntityChange change(String label) {
        String text = label.equals("f") ? "f" + ++appended : label;
        return new EntityChange(ChangeType.INSERT, "message", "message", Object.class, "id", 1L,
                Map.of("id", 1L, "text", text), Map.of());
    }

    private static Optional<List<String>> texts(MemoryReplayStore store, StreamId stream, Position from) {
        return store.eventsAfter(stream, from)
                .map(events -> events.stream().map(e -> (String) e.change().row().get("text")).toList());
    }
}
