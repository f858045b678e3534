package dev.rowcast.impl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rowcast.Capture;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.metrics.Meters;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.outbox.OutboxDecoder;
import dev.rowcast.impl.outbox.OutboxRow;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamEvent;
import dev.rowcast.spi.StreamId;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The cluster's Lua scripts on a real Redis (ROWCAST_TEST_REDIS, default redis://127.0.0.1:6379; skipped when none
 * answers), each test under a key prefix of its own.
 */
class ClusterScriptsTest {

    private static final ReactiveEntityModel MESSAGE = new ReactiveEntityModel("Message", Object.class, "message",
            "message", "id", "id", List.of(new ColumnModel("conversation", "conversation_id", true, Long.class),
                    new ColumnModel("body", "body", false, String.class),
                    new ColumnModel("createdAt", "created_at", false, Instant.class)),
            List.of(new ScopeModel("conversation", "conversation_id", Long.class)), null, List.of(), Map.of(), 0,
            Long.class, Capture.DATABASE, "Message");

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> one;
    private static StatefulRedisConnection<String, String> two;

    private final String prefix = "rowcast-test-" + System.nanoTime();
    private final RowcastSettings.Cluster settings = new RowcastSettings.Cluster("redis://x", prefix, 1000, 3600,
            5000, 1, 3);
    private final Keys keys = new Keys(prefix);
    private final OutboxDecoder decoder = new OutboxDecoder(List.of(MESSAGE));

    @BeforeAll
    static void connect() {
        String uri = System.getenv().getOrDefault("ROWCAST_TEST_REDIS", "redis://127.0.0.1:6379");
        try {
            client = RedisClient.create(uri);
            one = client.connect();
            two = client.connect();
        } catch (RuntimeException e) {
            Assumptions.abort("no Redis at " + uri + ": " + e);
        }
    }

    /** The shared Redis keeps nothing of a test. */
    @org.junit.jupiter.api.AfterEach
    void removeKeys() {
        RedisCommands<String, String> redis = one.sync();
        io.lettuce.core.KeyScanCursor<String> cursor = redis.scan(io.lettuce.core.ScanArgs.Builder.matches(prefix
                + ":*").limit(1000));
        while (true) {
            if (!cursor.getKeys().isEmpty()) {
                redis.del(cursor.getKeys().toArray(String[]::new));
            }
            if (cursor.isFinished()) {
                return;
            }
            cursor = redis.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(prefix + ":*").limit(1000));
        }
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.shutdown();
        }
    }

    private static String row(long conversation, String body) {
        return "{\"id\": 7, \"conversation_id\": " + conversation + ", \"body\": \"" + body + "\", "
                + "\"created_at\": \"2026-11-29T07:36:31.5+01:00\"}";
    }

    private Relay relay() {
        return new Relay(one.sync(), keys, decoder, settings, new LogReader(one.sync(), keys, decoder, () -> {
        }, new ClusterMeters(Meters.local())), "test");
    }

    @Test
    void should_relay_each_outbox_row_once_with_contiguous_positions_and_a_move_on_both_streams() {
        Relay relay = relay();
        RedisCommands<String, String> redis = one.sync();
        relay.relay(List.of(new OutboxRow(10, "1", "message", "I", null, row(3, "a"))));
        relay.relay(List.of(new OutboxRow(10, "1", "message", "I", null, row(3, "a")))); // a second relay, late
        relay.relay(List.of(new OutboxRow(9, "0", "message", "I", null, row(3, "old"))));
        relay.relay(List.of(new OutboxRow(11, "2", "message", "U", row(3, "a"), row(4, "b"))));
        assertEquals(2, redis.xlen(keys.log), "rows at or before the cursor are skipped");
        assertEquals("11", redis.get(keys.cursor));
        List<io.lettuce.core.StreamMessage<String, String>> log = redis.xrange(keys.log, io.lettuce.core.Range
                .create("-", "+"));
        String epoch3 = redis.get(keys.stream(new StreamId("message", "conversation_id", 3L), "epoch"));
        assertEquals(epoch3 + ":1", log.get(0).getBody().get("s"));
        String epoch4 = redis.get(keys.stream(new StreamId("message", "conversation_id", 4L), "epoch"));
        assertEquals(epoch3 + ":2," + epoch4 + ":1", log.get(1).getBody().get("s"), "leave on 3, enter on 4");
        assertEquals(List.of("1", "2"), log.stream().map(m -> m.getBody().get("n")).toList());
        assertFalse(epoch3.equals(epoch4));
    }

    @Test
    void should_replay_the_shared_history_with_the_java_types_of_the_live_changes() {
        Relay relay = relay();
        for (int i = 1; i <= 5; i++) {
            relay.relay(List.of(new OutboxRow(i, String.valueOf(i), "message", "I", null, row(3, "m" + i))));
        }
        StreamId stream = new StreamId("message", "conversation_id", 3L);
        // an instance that started before any of them, and released them all
        RedisReplayStore store = new RedisReplayStore(two.sync(), keys, decoder, Set.of("message"), settings, 0);
        store.appended(stream, new Position(one.sync().get(keys.stream(stream, "epoch")), 5), 5);
        Position head = store.head(stream);
        assertEquals(5, head.seq());
        List<StreamEvent> missed = store.eventsAfter(stream, new Position(head.epoch(), 2)).orElseThrow();
        assertEquals(List.of(3L, 4L, 5L), missed.stream().map(e -> e.position().seq()).toList());
        assertEquals("m3", missed.get(0).change().row().get("body"));
        assertEquals(3L, missed.get(0).change().row().get("conversation_id"), "a Long, as live");
        assertEquals(Instant.parse("2026-11-29T06:36:31.5Z"), missed.get(0).change().row().get("created_at"));
        assertEquals("afterInsert", missed.get(0).type());
        assertEquals(Optional.empty(), store.eventsAfter(stream, new Position("another", 2)));

        // an instance that has released only log entry 3: its head is seq 3, so 4 and 5 come to it live
        RedisReplayStore behind = new RedisReplayStore(two.sync(), keys, decoder, Set.of("message"), settings, 3);
        assertEquals(3, behind.head(stream).seq());
        assertEquals(Optional.empty(), behind.eventsAfter(stream, new Position(head.epoch(), 5)),
                "a cursor ahead of this instance: replay_unavailable, never a duplicate");
    }

    @Test
    void should_limit_a_user_across_instances_in_one_bucket() {
        int allowed = 0;
        for (int i = 0; i < 6; i++) {
            // two connections, as two instances
            Long taken = Scripts.run((i % 2 == 0 ? one : two).sync(), Scripts.TAKE,
                    io.lettuce.core.ScriptOutputType.INTEGER, List.of(keys.user("alice")), List.of("1", "3", "60000"));
            allowed += taken.intValue();
        }
        assertTrue(allowed == 3 || allowed == 4, "the burst of 3 (and at most one refilled), not 3 per instance: "
                + allowed);
        Long other = Scripts.run(one.sync(), Scripts.TAKE, io.lettuce.core.ScriptOutputType.INTEGER,
                List.of(keys.user("bob")), List.of("1", "3", "60000"));
        assertEquals(1L, other, "each user has a bucket of their own");
    }

    /** Stands in for the dispatcher: keeps each transaction the log reader hands over, on the reader's own thread. */
    private static final class Engine {
        final List<List<CapturedChange>> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final dev.rowcast.impl.bridge.ChangeSink sink = (ticket, changes, lost) -> handed.add(changes);
        private final LogReader reader;
        private final Thread thread;

        Engine(LogReader reader) {
            this.reader = reader;
            CaptureBridge.install(sink);
            thread = new Thread(reader);
            thread.start();
        }

        void stop() throws InterruptedException {
            reader.stop();
            thread.join(5_000);
            CaptureBridge.uninstall(sink);
        }
    }

    /** Meters that keep what is recorded, to look at. */
    private static final class Recorded implements Meters {
        final Map<String, dev.rowcast.impl.metrics.Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, java.util.function.LongSupplier> gauges = new java.util.concurrent.ConcurrentHashMap<>();
        final List<Long> lag = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public dev.rowcast.impl.metrics.Counter counter(String name, String help, String label, String value) {
            return counters.computeIfAbsent(name, n -> new dev.rowcast.impl.metrics.LocalCounter());
        }

        @Override
        public void gauge(String name, String help, String label, String value, java.util.function.LongSupplier r) {
            gauges.put(name, r);
        }

        @Override
        public dev.rowcast.impl.metrics.Histogram histogram(String name, String help, String unit) {
            return lag::add;
        }
    }

    /**
     * A transaction of three rows reaches the engine as one transaction, as it does on one instance; the next one as
     * another; the bus lag is recorded once per row; the lease gauge says who relays.
     */
    @Test
    void should_hand_each_relayed_transaction_to_the_engine_whole_and_count_it() throws Exception {
        Recorded meters = new Recorded();
        ClusterMeters figures = new ClusterMeters(meters);
        LogReader reader = new LogReader(two.sync(), keys, decoder, () -> {
        }, figures);
        reader.startAtEnd();
        Relay relay = new Relay(one.sync(), keys, decoder, settings, reader, "test");
        figures.leaseHeld(relay::holdsLease);
        assertEquals(0, meters.gauges.get("rowcast_cluster_relay_lease_held").getAsLong());
        assertEquals(-1, relay.claim(() -> -1), "holds the lease, and Redis had no cursor: after the stored one");
        assertEquals(1, meters.gauges.get("rowcast_cluster_relay_lease_held").getAsLong());
        Engine engine = new Engine(reader);
        List<List<CapturedChange>> handed = engine.handed;
        try {
            relay.relay(List.of(new OutboxRow(1, "t1", "message", "I", null, row(3, "a")),
                    new OutboxRow(2, "t1", "message", "I", null, row(3, "b")),
                    new OutboxRow(3, "t1", "message", "I", null, row(4, "c"))));
            relay.relay(List.of(new OutboxRow(4, "t2", "message", "I", null, row(3, "d"))));
            assertTrue(reader.awaitDelivered(4, 10_000), "the reader handed both over");
        } finally {
            engine.stop();
        }
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d")), handed.stream().map(changes -> changes.stream()
                .map(change -> (String) change.change().row().get("body")).toList()).toList(), "one per transaction");
        assertEquals(List.of(1L, 2L, 3L, 4L), handed.stream().flatMap(List::stream).map(CapturedChange::logSeq)
                .toList(), "each change keeps its place in the log");
        assertEquals(4, meters.lag.size(), "the bus lag once per row");
        assertTrue(meters.lag.stream().allMatch(lag -> lag >= 0 && lag < 10_000), meters.lag.toString());
        assertEquals(0, meters.counters.get("rowcast_cluster_log_read_errors").count());
    }

    /** Where a caller joined, as every instance sees it: the earliest of an epoch, a new epoch replacing it. */
    @Test
    void should_share_where_a_caller_joined_a_stream_with_every_instance() {
        StreamId stream = new StreamId("message", "conversation_id", 3L);
        RedisGrants onA = new RedisGrants(one.sync(), keys, Set.of("message"), 60_000);
        RedisGrants onB = new RedisGrants(two.sync(), keys, Set.of("message"), 60_000);
        assertEquals(null, onB.joinedAt("user:eve", stream));
        onA.joined("user:eve", stream, new Position("e1", 5));
        // joins are sent without waiting: read them on the connection that wrote, which keeps the order
        assertEquals(new Position("e1", 5), onA.joinedAt("user:eve", stream));
        assertEquals(new Position("e1", 5), onB.joinedAt("user:eve", stream), "B knows where eve joined on A");
        onB.joined("user:eve", stream, new Position("e1", 9));
        assertEquals(new Position("e1", 5), onB.joinedAt("user:eve", stream), "the earliest join of the epoch stays");
        onB.joined("user:eve", stream, new Position("e2", 1));
        assertEquals(new Position("e2", 1), onB.joinedAt("user:eve", stream), "a new epoch starts over");
        assertEquals(new Position("e2", 1), onA.joinedAt("user:eve", stream));
        assertEquals(null, onA.joinedAt("user:bob", stream), "per caller");
        onA.joined("user:eve", new StreamId("rowcast_admin", "x", 1L), new Position("e1", 1));
        assertEquals(null, onB.joinedAt("user:eve", new StreamId("rowcast_admin", "x", 1L)), "only shared channels");
        assertTrue(one.sync().pttl(keys.stream(stream, "grants")) > 0, "kept as long as the stream's history");
    }

    /** After Redis came back, the log waits until every connection is up: a resync reads heads on another one. */
    @Test
    void should_not_read_the_log_until_every_connection_is_back() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean();
        LogReader reader = new LogReader(two.sync(), keys, decoder, () -> {
        }, new ClusterMeters(Meters.local()), connected::get);
        reader.startAtEnd();
        Relay relay = new Relay(one.sync(), keys, decoder, settings, reader, "test");
        Engine engine = new Engine(reader);
        List<List<CapturedChange>> handed = engine.handed;
        try {
            relay.relay(List.of(new OutboxRow(1, "t1", "message", "I", null, row(3, "a"))));
            assertFalse(reader.awaitDelivered(1, 300), "not while a connection is down");
            assertFalse(reader.reading(), "and readiness says so");
            connected.set(true);
            assertTrue(reader.awaitDelivered(1, 10_000), "read once all are up");
        } finally {
            engine.stop();
        }
        assertEquals(1, handed.size());
    }
}
