package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

class MemoryReplayStoreTest {

    private final StreamId a = new StreamId("message", "conversation_id", 1L);
    private final StreamId b = new StreamId("message", "conversation_id", 2L);

    @Test
    void should_number_each_stream_contiguously_from_one() {
        MemoryReplayStore store = new MemoryReplayStore(10, 10, s -> false);
        Position head = store.head(a);
        assertEquals(0, head.seq());
        assertEquals(new Position(head.epoch(), 1), store.append(a, p -> "f" + p.seq()));
        assertEquals(new Position(head.epoch(), 2), store.append(a, p -> "f" + p.seq()));
        assertEquals(1, store.append(b, p -> "x").seq());
        assertEquals(List.of("f2"), store.framesAfter(a, new Position(head.epoch(), 1)).orElseThrow());
        assertEquals(List.of(), store.framesAfter(a, new Position(head.epoch(), 2)).orElseThrow());
    }

    @Test
    void should_refuse_positions_it_cannot_cover() {
        MemoryReplayStore store = new MemoryReplayStore(2, 10, s -> false);
        String epoch = store.head(a).epoch();
        for (int i = 0; i < 5; i++) {
            store.append(a, p -> "f" + p.seq());
        }
        assertEquals(List.of("f4", "f5"), store.framesAfter(a, new Position(epoch, 3)).orElseThrow());
        assertTrue(store.framesAfter(a, new Position(epoch, 2)).isEmpty(), "f3 was dropped");
        assertTrue(store.framesAfter(a, new Position("other", 4)).isEmpty(), "another epoch");
        assertTrue(store.framesAfter(a, new Position(epoch, 6)).isEmpty(), "ahead of the head");
    }

    @Test
    void should_give_an_evicted_stream_a_new_epoch_and_a_restarted_server_another() {
        MemoryReplayStore store = new MemoryReplayStore(10, 1, s -> false);
        String first = store.head(a).epoch();
        store.append(a, p -> "f");
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
        store.append(a, p -> "f");
        store.head(b);
        store.head(c); // over the limit: b goes, though a is older
        assertEquals(new Position(followed, 1), store.head(a), "a keeps its epoch and history");
        assertEquals(List.of("f"), store.framesAfter(a, new Position(followed, 0)).orElseThrow());
        assertEquals(0, store.head(b).seq());

        MemoryReplayStore allFollowed = new MemoryReplayStore(10, 1, stream -> true);
        String kept = allFollowed.head(a).epoch();
        allFollowed.head(b); // nothing may go: the limit gives way (and says so once)
        assertEquals(kept, allFollowed.head(a).epoch());
    }

    @Test
    void should_build_a_frame_only_when_it_is_first_read() {
        MemoryReplayStore store = new MemoryReplayStore(10, 10, s -> false);
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        String epoch = store.head(a).epoch();
        store.append(a, p -> "f" + p.seq() + "#" + built.incrementAndGet());
        store.append(a, p -> "f" + p.seq() + "#" + built.incrementAndGet());
        assertEquals(0, built.get(), "nobody read them yet");
        assertEquals(List.of("f2#1"), store.framesAfter(a, new Position(epoch, 1)).orElseThrow());
        assertEquals(List.of("f1#2", "f2#1"), store.framesAfter(a, new Position(epoch, 0)).orElseThrow(),
                "each built once, with its own position");
        assertEquals(2, built.get());
    }
}
