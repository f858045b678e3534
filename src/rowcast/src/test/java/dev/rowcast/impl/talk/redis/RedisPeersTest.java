package dev.rowcast.impl.talk.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.talk.Peers;

/**
 * Presence and broadcasts of two instances on a real Redis (ROWCAST_TEST_REDIS, default redis://127.0.0.1:6379;
 * skipped when none answers), each test under a key prefix of its own, removed after it.
 */
class RedisPeersTest {

    private static final String URI = TestRedis.URI;
    private static final String STREAM = "message\nconversation_id\n7";

    private final String prefix = "rowcast-peers-test-" + System.nanoTime();
    private final List<Peers> opened = new ArrayList<>();

    /** What one instance heard from the others, as text. */
    static final class Heard implements Peers.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void joined(String stream, String user, String entry) {
            events.add("joined " + stream + " " + user + " " + entry);
        }

        @Override
        public void left(String stream, String user) {
            events.add("left " + stream + " " + user);
        }

        @Override
        public void broadcast(String stream, String frame) {
            events.add("broadcast " + stream + " " + frame);
        }

        String next() throws InterruptedException {
            String event = events.poll(5, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("nothing heard within 5 s");
            }
            return event;
        }

        void quiet() throws InterruptedException {
            assertNull(events.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @BeforeEach
    void redisAnswers() {
        TestRedis.assumeAnswering();
    }

    @AfterEach
    void removeKeys() {
        opened.forEach(Peers::close);
        TestRedis.removeKeys(prefix);
    }

    private Peers peers(long ttlMillis, Heard heard) {
        Peers peers = RedisPeers.connect(URI, prefix, ttlMillis);
        opened.add(peers);
        peers.listen(heard);
        return peers;
    }

    @Test
    void should_count_a_user_on_two_instances_once_and_let_them_leave_with_the_last() throws Exception {
        Heard onA = new Heard();
        Heard onB = new Heard();
        Peers a = peers(10_000, onA);
        Peers b = peers(10_000, onB);

        assertEquals(Map.of("bob", "{\"user\":\"bob\"}"), b.join(STREAM, "bob", "{\"user\":\"bob\"}", 10));
        assertEquals("joined " + STREAM + " bob {\"user\":\"bob\"}", onA.next());
        onB.quiet(); // an instance does not hear itself

        Map<String, String> both = a.join(STREAM, "alice", "{\"user\":\"alice\"}", 10);
        assertEquals(List.of("bob", "alice"), List.copyOf(both.keySet()), "oldest first");
        assertEquals("joined " + STREAM + " alice {\"user\":\"alice\"}", onB.next());
        assertEquals(List.of("bob", "alice"), List.copyOf(b.join(STREAM, "alice", "{\"user\":\"alice\"}", 10)
                .keySet()), "alice on B too: still once, in her place");
        onA.quiet(); // no second joined for her second instance

        assertEquals(List.of("bob", "alice"), List.copyOf(a.leave(STREAM, "alice").keySet()), "still there on B");
        onB.quiet();
        assertEquals(List.of("bob"), List.copyOf(b.leave(STREAM, "alice").keySet()));
        assertEquals("left " + STREAM + " alice", onA.next());
    }

    @Test
    void should_hold_the_member_limit_across_instances() throws Exception {
        Peers a = peers(10_000, new Heard());
        Peers b = peers(10_000, new Heard());
        a.join(STREAM, "alice", "{}", 2);
        b.join(STREAM, "bob", "{}", 2);
        assertNull(a.join(STREAM, "eve", "{}", 2), "a third user is refused on A");
        assertNull(b.join(STREAM, "eve", "{}", 2), "and on B");
        assertEquals(2, b.join(STREAM, "alice", "{}", 2).size(), "a member may come in through another instance");
        a.leave(STREAM, "alice");
        b.leave(STREAM, "alice");
        assertEquals(2, a.join(STREAM, "eve", "{}", 2).size(), "a seat came free");
    }

    @Test
    void should_expire_the_members_of_an_instance_that_stopped_refreshing() throws Exception {
        Heard onB = new Heard();
        Heard onC = new Heard();
        Peers a = peers(600, new Heard());
        Peers b = peers(10_000, onB);
        peers(10_000, onC);
        a.join(STREAM, "carol", "{}", 10);
        b.join(STREAM, "bob", "{}", 10);
        onB.next();
        onC.next();
        onC.next();
        a.close(); // A dies without a word
        opened.remove(a);
        Thread.sleep(700);
        assertEquals(Map.of("bob", "{}"), b.refresh(STREAM, Map.of("bob", "{}")), "carol expired");
        assertEquals("left " + STREAM + " carol", onC.next(), "and the others hear of it");
        onB.quiet(); // B learnt it from its own answer
    }

    @Test
    void should_keep_entries_alive_while_refreshed_and_put_back_what_expired_while_redis_was_away() throws Exception {
        Heard onB = new Heard();
        Peers a = peers(600, new Heard());
        Peers b = peers(600, onB);
        a.join(STREAM, "alice", "{}", 10);
        onB.next();
        for (int i = 0; i < 4; i++) {
            Thread.sleep(200);
            a.refresh(STREAM, Map.of("alice", "{}"));
        }
        assertEquals(List.of("alice"), List.copyOf(b.refresh(STREAM, Map.of()).keySet()), "alive after 800 ms");
        Thread.sleep(700); // A could not refresh: its entry expired
        assertEquals(Map.of(), b.refresh(STREAM, Map.of()), "expired");
        onB.quiet(); // B learnt it from its own answer
        a.refresh(STREAM, Map.of("alice", "{}")); // A is back: it puts her back, and the others hear of it
        assertEquals("joined " + STREAM + " alice {}", onB.next());
    }

    @Test
    void should_carry_broadcasts_and_hostile_names_unchanged() throws Exception {
        Heard onB = new Heard();
        Heard onA = new Heard();
        Peers a = peers(10_000, onA);
        peers(10_000, onB);
        String stream = "table\nname\n|\\u0041\n\"\ud800é";
        String user = "m\udc00l|lory\\";
        String entry = "{\"user\":\"m\\udc00l\",\"fields\":{\"x\":\"\u2028\"}}";
        assertEquals(Map.of(user, entry), a.join(stream, user, entry, 10));
        assertEquals("joined " + stream + " " + user + " " + entry, onB.next());
        String frame = "{\"type\":\"broadcast\",\"data\":\"\ud83d\ude00 \\\" \ud800\"}";
        a.broadcast(stream, frame);
        assertEquals("broadcast " + stream + " " + frame, onB.next());
        onA.quiet();
        String big = "x".repeat(1_000_000);
        a.broadcast(STREAM, big);
        assertEquals("broadcast " + STREAM + " " + big, onB.next());
    }
}
