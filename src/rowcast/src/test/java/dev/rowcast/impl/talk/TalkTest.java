package dev.rowcast.impl.talk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.RecordingSubscriber;
import dev.rowcast.spi.StreamId;

class TalkTest {

    private static final StreamId STREAM = new StreamId("message", "conversation_id", 1L);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        thread.shutdownNow();
    }

    /** A recording socket that also picks out the frames of one type. */
    static final class Socket extends RecordingSubscriber {
        Socket(String user) {
            super(user);
        }

        List<String> of(String type) {
            return frames.stream().filter(f -> f.startsWith("{\"type\":\"" + type + "\"")).toList();
        }
    }

    private Talk talk(int throttleMillis, int maxMembers) {
        return new Talk(thread, new RowcastSettings.Talk(256, throttleMillis, List.of("quiet"), maxMembers, 50, 1, 10,
                15_000), List.of((viewer, stream) -> Map.of("colour", "blue")), List.of(), channel -> maxMembers, null,
                event -> { });
    }

    private void settle() throws Exception {
        thread.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void should_count_a_user_with_two_tabs_once_and_let_them_leave_with_the_last() throws Exception {
        Talk talk = talk(50, 10);
        Socket tab1 = new Socket("alice");
        Socket tab2 = new Socket("alice");
        Socket bob = new Socket("bob");
        for (Socket s : List.of(tab1, tab2, bob)) {
            talk.joined(s, STREAM);
        }
        talk.join(bob, STREAM, null);
        talk.join(tab1, STREAM, null);
        talk.join(tab2, STREAM, null);
        settle();
        assertEquals(List.of("bob", "alice"), talk.presentUsers(STREAM));
        assertEquals(1, bob.of("joined").size(), "alice joined once: " + bob.frames);
        assertTrue(bob.of("joined").get(0).contains("\"fields\":{\"colour\":\"blue\"}"), bob.frames.toString());

        talk.left(tab1, STREAM); // one tab closes
        settle();
        assertEquals(0, bob.of("left").size(), "alice is still there in her other tab");
        talk.left(tab2, STREAM);
        settle();
        assertEquals(1, bob.of("left").size());
        assertEquals(List.of("bob"), talk.presentUsers(STREAM));
    }

    @Test
    void should_refuse_presence_and_broadcasts_to_a_stream_the_socket_does_not_follow_and_hold_the_limit()
            throws Exception {
        Talk talk = talk(50, 1);
        Socket outsider = new Socket("eve");
        talk.join(outsider, STREAM, Json.createValue("j1"));
        talk.broadcast(outsider, STREAM, "typing", JsonValue.TRUE, Json.createValue("b1"));
        Socket alice = new Socket("alice");
        Socket bob = new Socket("bob");
        talk.joined(alice, STREAM);
        talk.joined(bob, STREAM);
        talk.join(alice, STREAM, null);
        talk.join(bob, STREAM, Json.createValue("j2"));
        settle();
        assertEquals(2, outsider.of("error").stream().filter(f -> f.contains("not_subscribed")).count());
        assertTrue(bob.of("error").get(0).contains("\"code\":\"full\""), bob.frames.toString());
    }

    @Test
    void should_throttle_per_user_and_keep_the_last_value_with_the_server_stamping_the_sender() throws Exception {
        Talk talk = talk(200, 10);
        Socket alice = new Socket("alice");
        Socket bob = new Socket("bob");
        talk.joined(alice, STREAM);
        talk.joined(bob, STREAM);
        for (int i = 1; i <= 20; i++) {
            talk.broadcast(alice, STREAM, "cursor", Json.createObjectBuilder().add("x", i)
                    .add("from", "mallory").build(), null);
        }
        settle();
        assertEquals(1, bob.of("broadcast").size(), "leading edge at once: " + bob.frames);
        Thread.sleep(400);
        settle();
        List<String> got = bob.of("broadcast");
        assertEquals(2, got.size(), "then the trailing edge: " + got);
        assertTrue(got.get(0).contains("\"x\":1"), got.get(0));
        assertTrue(got.get(1).contains("\"x\":20"), "the last value arrives: " + got.get(1));
        assertTrue(got.get(1).endsWith("\"from\":{\"user\":\"alice\"}}"), got.get(1));
        assertTrue(alice.of("broadcast").isEmpty(), "not echoed to the sender's socket");
        Thread.sleep(300);
        settle();
        assertEquals(0, talk.openThrottles(), "quiet windows are forgotten");
    }

    @Test
    void should_refuse_too_large_broadcasts_and_disabled_channels() throws Exception {
        Talk talk = talk(0, 10);
        Socket alice = new Socket("alice");
        StreamId quiet = new StreamId("quiet", "id", 1L);
        talk.joined(alice, quiet);
        talk.joined(alice, STREAM);
        talk.broadcast(alice, STREAM, "big", Json.createValue("x".repeat(300)), Json.createValue(1));
        talk.broadcast(alice, quiet, "typing", JsonValue.TRUE, Json.createValue(2));
        settle();
        assertTrue(alice.frames.get(0).contains("too_large"), alice.frames.toString());
        assertTrue(alice.frames.get(1).contains("forbidden"), alice.frames.toString());
    }

    @Test
    void should_sweep_the_presence_of_sockets_that_closed_without_a_word() throws Exception {
        Talk talk = talk(50, 10);
        talk.start();
        Socket alice = new Socket("alice");
        Socket bob = new Socket("bob");
        talk.joined(alice, STREAM);
        talk.joined(bob, STREAM);
        talk.join(alice, STREAM, null);
        talk.join(bob, STREAM, null);
        settle();
        alice.open = false; // its disconnect never comes
        Thread.sleep(200);
        settle();
        assertEquals(List.of("bob"), talk.presentUsers(STREAM));
        assertTrue(bob.of("left").get(0).contains("\"user\":\"alice\""), bob.frames.toString());
    }
}
