package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.StreamId;

/** The dispatch engine on its own thread: nothing a plug-in or a subscriber throws stops it or is silent. */
class ChangeDispatcherTest {

    private static final ReactiveEntityModel NOTE = new ReactiveEntityModel("Note", Object.class, "note", "note",
            "id", "id", List.of(new ColumnModel("topic", "topic", false), new ColumnModel("text", "text", false)),
            List.of(new ScopeModel("topic", "topic", Long.class)), null, List.of(), Map.of(), 0);
    private static final StreamId TOPIC_7 = new StreamId("note", "topic", 7L);

    private ChangeDispatcher dispatcher;

    /** A recording socket whose send of a frame with {@link #failOn} fails, once, with an Error. */
    static final class Recording extends RecordingSubscriber {
        volatile String failOn;

        Recording(String user) {
            super(user);
        }

        @Override
        public void send(OutboundFrame frame) {
            String marker = failOn;
            if (marker != null && frame.text().contains(marker)) {
                failOn = null;
                throw new OutOfMemoryError("probe: this send fails with an Error");
            }
            super.send(frame);
        }
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    private ChangeDispatcher start(Map<String, String> params, List<RowFilter> filters, Consumer<EntityChange> observers,
            ThreadFactory threads) {
        RowcastSettings settings = RowcastSettings.read(params::get);
        dispatcher = new ChangeDispatcher(settings, Optional.empty(), filters, observers, threads, Runnable::run);
        dispatcher.start();
        return dispatcher;
    }

    private ChangeDispatcher start(Consumer<EntityChange> observers) {
        return start(Map.of(), List.of(), observers, Thread::new);
    }

    private static CapturedChange note(long id, String text) {
        return new CapturedChange(NOTE, new EntityChange(ChangeType.INSERT, "note", "note", Object.class, "id", id,
                Map.of("id", id, "topic", 7L, "text", text), Map.of()));
    }

    /** Commits one transaction: a ticket in commit order, then its changes. */
    private void commit(CapturedChange... changes) {
        dispatcher.complete(CaptureBridge.takeTicket(), List.of(changes), null);
    }

    private Recording follow(String user) throws InterruptedException {
        Recording socket = new Recording(user);
        dispatcher.subscribe(socket, TOPIC_7, NOTE, null, null);
        assertEquals("subscribed", socket.next().getString("type"));
        return socket;
    }

    private static String text(JsonObject change) {
        return change.getJsonObject("event").getJsonObject("row").getString("text");
    }

    @Test
    void should_deliver_every_other_change_when_an_observer_throws_an_error_or_interrupts() throws Exception {
        start(change -> {
            Object text = change.row().get("text");
            if ("error".equals(text)) {
                throw new StackOverflowError("probe: an observer fails with an Error");
            }
            if ("interrupt".equals(text)) {
                Thread.currentThread().interrupt();
            }
        });
        Recording socket = follow("a");
        commit(note(1, "error"), note(2, "same transaction"));
        commit(note(3, "interrupt"));
        commit(note(4, "after"));
        assertEquals("error", text(socket.next()), "the observer's Error costs the observer, not the change");
        assertEquals("same transaction", text(socket.next()));
        assertEquals("interrupt", text(socket.next()));
        assertEquals("after", text(socket.next()), "an interrupt does not end the loop");
        assertEquals(EngineHealth.State.RUNNING, dispatcher.health().state());
    }

    @Test
    void should_hide_a_row_from_a_viewer_whose_row_filter_throws_an_error_and_go_on() throws Exception {
        RowFilter fatal = (viewer, row) -> {
            if ("fatal".equals(row.getString("text"))) {
                throw new LinkageError("probe: a filter fails with an Error");
            }
            return dev.rowcast.spi.RowVisibility.VISIBLE;
        };
        start(Map.of(), List.of(fatal), null, Thread::new);
        Recording socket = follow("a");
        commit(note(1, "fatal"));
        commit(note(2, "fine"));
        assertEquals("hidden", socket.next().getJsonObject("event").getString("type"));
        assertEquals("fine", text(socket.next()));
    }

    @Test
    void should_resync_only_the_subscriber_whose_send_fails_with_an_error() throws Exception {
        start(null);
        Recording broken = follow("broken");
        Recording fine = follow("fine");
        broken.failOn = "\"text\":\"poison\"";
        commit(note(1, "poison"));
        commit(note(2, "next"));
        assertEquals("poison", text(fine.next()));
        assertEquals("next", text(fine.next()));
        JsonObject reset = broken.next();
        assertEquals("replay_unavailable", reset.getString("code"), "the one that missed a change is told");
        assertEquals("note", reset.getString("channel"));
        assertEquals(1, reset.getJsonObject("position").getJsonNumber("seq").longValue(), "from the head it missed");
        assertEquals("next", text(broken.next()));
    }

    @Test
    void should_reset_the_streams_of_changes_dropped_on_a_full_queue_and_tell_their_subscribers() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(Map.of(RowcastSettings.DISPATCH_QUEUE_CAPACITY, "16"), List.of(), change -> {
            if ("block".equals(change.row().get("text"))) {
                blocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Thread::new);
        Recording socket = follow("a");
        commit(note(1, "block"));
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {
            commit(note(10 + i, "burst " + i)); // 16 fit, 4 are dropped
        }
        assertEquals(4, dispatcher.health().droppedChanges());
        release.countDown();

        JsonObject blockFrame = socket.next();
        String oldEpoch = blockFrame.getJsonObject("position").getString("epoch");
        JsonObject reset = socket.next();
        assertEquals("error", reset.getString("type"), reset.toString());
        assertEquals("replay_unavailable", reset.getString("code"));
        assertEquals(7, reset.getJsonObject("scope").getInt("value"));
        String newEpoch = reset.getJsonObject("position").getString("epoch");
        assertNotEquals(oldEpoch, newEpoch, "a new epoch: no cursor from before the loss replays a hole");
        for (int i = 0; i < 16; i++) {
            JsonObject change = socket.next();
            assertEquals("burst " + i, text(change));
            assertEquals(newEpoch, change.getJsonObject("position").getString("epoch"));
            assertEquals(i + 1, change.getJsonObject("position").getJsonNumber("seq").longValue());
        }
    }

    @Test
    void should_report_a_stuck_unit_of_work_and_recover_when_it_returns() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(Map.of(RowcastSettings.DISPATCH_STUCK_MILLIS, "100"), List.of(), change -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Thread::new);
        Recording socket = follow("a");
        assertTrue(dispatcher.health().live());
        commit(note(1, "slow"));
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        Thread.sleep(150);
        dispatcher.watch();
        EngineHealth stuck = dispatcher.health();
        assertEquals(EngineHealth.State.STUCK, stuck.state());
        assertTrue(!stuck.live() && !stuck.ready() && stuck.stuckMillis() >= 100, stuck.toString());
        release.countDown();
        assertEquals("slow", text(socket.next()));
        // the frame can arrive before the unit of work that sent it has ended
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            Thread.sleep(10);
            dispatcher.watch();
        } while (dispatcher.health().state() != EngineHealth.State.RUNNING && System.nanoTime() < deadline);
        assertEquals(EngineHealth.State.RUNNING, dispatcher.health().state());
        assertTrue(dispatcher.health().live());
    }

    @Test
    void should_replace_a_dead_dispatch_thread_and_lose_no_queued_work() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory firstDies = work -> made.getAndIncrement() == 0
                ? new Thread(() -> {
                    throw new ThreadDeath();
                })
                : new Thread(work);
        start(Map.of(), List.of(), null, firstDies);
        Recording socket = new Recording("a");
        dispatcher.subscribe(socket, TOPIC_7, NOTE, null, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (dispatcher.health().state() != EngineHealth.State.DEAD) {
            assertTrue(System.nanoTime() < deadline, dispatcher.health().toString());
            Thread.sleep(10);
        }
        assertTrue(!dispatcher.health().live());
        dispatcher.watch();
        assertEquals(1, dispatcher.health().restarts());
        assertEquals("subscribed", socket.next().getString("type"), "queued work survives the thread");
        commit(note(1, "after restart"));
        assertEquals("after restart", text(socket.next()));
        assertEquals(EngineHealth.State.RUNNING, dispatcher.health().state());
        assertTrue(dispatcher.health().live());
    }

    @Test
    void should_refuse_a_subscribe_with_rate_limited_when_the_queue_is_full() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(Map.of(RowcastSettings.DISPATCH_MAX_QUEUED_BYTES, String.valueOf(64 * 1024)), List.of(), change -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Thread::new);
        commit(note(1, "block"));
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        Recording socket = new Recording("a");
        int refused = 0;
        for (int i = 0; i < 200 && refused == 0; i++) { // about 500 bytes each: 64 KiB hold some 120
            dispatcher.subscribe(socket, new StreamId("note", "topic", (long) i), NOTE, null, null);
            refused = (int) socket.frames.stream().filter(f -> f.contains("rate_limited")).count();
        }
        assertEquals(1, refused, "refused at once, in a way the client sees");
        assertTrue(dispatcher.health().queuedBytes() <= 64 * 1024);
        release.countDown();
    }
}
