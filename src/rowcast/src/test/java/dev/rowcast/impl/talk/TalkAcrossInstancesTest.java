package dev.rowcast.impl.talk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.talk.TalkTest.Socket;
import dev.rowcast.impl.talk.redis.RedisPeers;
import dev.rowcast.impl.talk.redis.TestRedis;
import dev.rowcast.spi.StreamId;


/**
 * Two {@link Talk}s, as on two instances, joined by {@link RedisPeers} on a real Redis (ROWCAST_TEST_REDIS, default
 * redis://127.0.0.1:6379; skipped when none answers), under a key prefix of the test's own.
 */
class TalkAcrossInstancesTest {

    private static final String URI = TestRedis.URI;
    private static final StreamId STREAM = new StreamId("message", "conversation_id", 3L);

    private final String prefix = "rowcast-talk-test-" + System.nanoTime();
    private final List<ScheduledExecutorService> threads = new ArrayList<>();
    private final List<Peers> peers = new ArrayList<>();

    @BeforeEach
    void redisAnswers() {
        TestRedis.assumeAnswering();
    }

    @AfterEach
    void stop() {
        threads.forEach(ScheduledExecutorService::shutdownNow);
        peers.forEach(Peers::close);
        TestRedis.removeKeys(prefix);
    }

    private Talk instance(int ttlMillis, int maxMembers) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        threads.add(thread);
        Peers redis = RedisPeers.connect(URI, prefix, ttlMillis);
        peers.add(redis);
        Talk talk = new Talk(thread, new RowcastSettings.Talk(256, 100, List.of(), maxMembers, 50, 1, 10, ttlMillis),
                List.of((viewer, stream) -> Map.of("n", 1)), List.of(), channel -> maxMembers, redis, event -> {
                    if (event.event().equals("mute")) {
                        event.veto();
                    }
                });
        talk.start();
        return talk;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void quiet(Socket socket, String type) throws InterruptedException {
        int before = socket.of(type).size();
        Thread.sleep(300);
        assertEquals(before, socket.of(type).size(), "no more " + type + ": " + socket.frames);
    }

    @Test
    void should_show_one_list_count_a_user_on_both_once_and_carry_broadcasts() throws Exception {
        Talk a = instance(10_000, 10);
        Talk b = instance(10_000, 10);
        Socket bob = new Socket("bob");
        Socket aliceOnA = new Socket("alice");
        Socket aliceOnB = new Socket("alice");
        b.joined(bob, STREAM);
        a.joined(aliceOnA, STREAM);
        b.joined(aliceOnB, STREAM);
        b.join(bob, STREAM, null);
        await(() -> bob.of("presence").size() == 1, "bob's list");
        a.join(aliceOnA, STREAM, null);
        await(() -> aliceOnA.of("presence").size() == 1, "alice's list");
        assertTrue(aliceOnA.of("presence").get(0).contains("\"members\":[{\"user\":\"bob\",\"fields\":{\"n\":1}},"
                + "{\"user\":\"alice\""), aliceOnA.frames.toString());
        await(() -> bob.of("joined").size() == 1, "bob hears of alice on A");

        b.join(aliceOnB, STREAM, null);
        await(() -> aliceOnB.of("presence").size() == 1, "alice's list on B");
        quiet(bob, "joined"); // she counts once

        b.left(aliceOnB, STREAM);
        quiet(bob, "left"); // still on A
        a.left(aliceOnA, STREAM);
        await(() -> bob.of("left").size() == 1, "bob hears her last socket leave, on A");

        a.joined(aliceOnA, STREAM);
        b.joined(aliceOnB, STREAM);
        a.broadcast(aliceOnA, STREAM, "cursor", Json.createValue(1), null);
        a.broadcast(aliceOnA, STREAM, "cursor", Json.createValue(2), null);
        a.broadcast(aliceOnA, STREAM, "cursor", Json.createValue(3), null);
        a.broadcast(aliceOnA, STREAM, "mute", Json.createValue(4), null);
        await(() -> bob.of("broadcast").size() == 2, "leading and trailing edge on B");
        assertTrue(bob.of("broadcast").get(0).contains("\"data\":1,\"from\":{\"user\":\"alice\"}"));
        assertTrue(bob.of("broadcast").get(1).contains("\"data\":3,"), "the last value: " + bob.frames);
        await(() -> aliceOnB.of("broadcast").size() == 2, "other tabs of the sender hear it too");
        quiet(bob, "broadcast"); // the vetoed one went nowhere
    }

    @Test
    void should_hold_the_limit_across_instances_and_expire_a_silent_instances_members() throws Exception {
        Talk a = instance(600, 2);
        Talk b = instance(600, 2);
        Socket alice = new Socket("alice");
        Socket bob = new Socket("bob");
        Socket eve = new Socket("eve");
        a.joined(alice, STREAM);
        b.joined(bob, STREAM);
        b.joined(eve, STREAM);
        a.join(alice, STREAM, null);
        await(() -> alice.of("presence").size() == 1, "alice in");
        b.join(bob, STREAM, null);
        await(() -> bob.of("presence").size() == 1, "bob in");
        b.join(eve, STREAM, Json.createValue("e"));
        await(() -> eve.of("error").size() == 1, "eve refused");
        assertTrue(eve.of("error").get(0).contains("\"code\":\"full\""), eve.frames.toString());

        Thread.sleep(1_000); // both renew: nobody expires while alive
        assertEquals(0, bob.of("left").size(), bob.frames.toString());

        threads.get(0).shutdownNow(); // A stops without a word: no leave, no renewal
        peers.get(0).close();
        await(() -> bob.of("left").size() == 1, "alice expires");
        assertTrue(bob.of("left").get(0).contains("\"user\":\"alice\""));
        b.join(eve, STREAM, Json.createValue("e2"));
        await(() -> eve.of("presence").size() == 1, "her seat is free");
    }
}
