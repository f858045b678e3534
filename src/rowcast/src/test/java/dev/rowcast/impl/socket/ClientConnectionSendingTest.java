package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.security.ConnectionIdentity;

/** Sending on the pool and coalescing queued frames for rowcast.v2 clients. */
class ClientConnectionSendingTest {

    private final List<Senders> started = new ArrayList<>();

    @AfterEach
    void stopSenders() {
        started.forEach(Senders::stop);
    }

    /**
     * A session whose sends complete only when the test says so ({@code holdSends}), or at once, or later on another
     * thread ({@code asyncCompletions}); it records every message sent and every ping.
     */
    private static final class FakeSession {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final Queue<SendHandler> held = new ConcurrentLinkedQueue<>();
        final List<Long> pings = new CopyOnWriteArrayList<>();
        volatile boolean holdSends;
        volatile boolean asyncCompletions;
        volatile CloseReason closed;
        final Session session;

        FakeSession() {
            var completer = Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r);
                thread.setDaemon(true);
                return thread;
            });
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { RemoteEndpoint.Async.class }, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "sendText" -> {
                                messages.add((String) args[0]);
                                SendHandler handler = (SendHandler) args[1];
                                if (holdSends) {
                                    held.add(handler);
                                } else if (asyncCompletions && ThreadLocalRandom.current().nextBoolean()) {
                                    completer.execute(() -> handler.onResult(new SendResult()));
                                } else {
                                    handler.onResult(new SendResult());
                                }
                            }
                            case "sendPing" -> pings.add(((ByteBuffer) args[0]).getLong(0));
                            default -> {
                            }
                        }
                        return null;
                    });
            session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Session.class },
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> remote;
                        case "isOpen" -> closed == null;
                        case "getId" -> "s";
                        case "close" -> {
                            closed = (CloseReason) args[0];
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> null;
                    });
        }

        ClientConnection connection(long maxQueuedBytes, Senders senders, int maxBatchChars) {
            long now = System.nanoTime();
            return new ClientConnection(session, ConnectionIdentity.ANONYMOUS, maxQueuedBytes,
                    new RateLimiter(100, 100, 5, now), new RateLimiter(1000, 1000, 0, now),
                    new RateLimiter(10, 10, 0, now), RowcastMetrics.local(),
                    new SendPath(senders, Outlet.of(session.getAsyncRemote()), maxBatchChars),
                    ClientConnection.DEFAULT_PENDING_REQUESTS, ClientConnection.DEFAULT_PENDING_BYTES);
        }

        void completeHeld() {
            for (SendHandler handler = held.poll(); handler != null; handler = held.poll()) {
                handler.onResult(new SendResult());
            }
        }

        /** Every frame received, with {@code frames} messages unpacked, in order. */
        List<String> frames() {
            List<String> frames = new ArrayList<>();
            for (String message : messages) {
                JsonObject json = Json.createReader(new StringReader(message)).readObject();
                if (json.getString("type", "").equals("frames")) {
                    for (JsonValue frame : json.getJsonArray("frames")) {
                        frames.add(frame.toString());
                    }
                } else {
                    frames.add(json.toString());
                }
            }
            return frames;
        }

        long batches() {
            return messages.stream().filter(m -> m.startsWith("{\"type\":\"frames\"")).count();
        }
    }

    private static String frame(int seq) {
        return "{\"type\":\"change\",\"seq\":" + seq + "}";
    }

    private static List<String> frames(int from, int to) {
        List<String> frames = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            frames.add(frame(seq));
        }
        return frames;
    }

    @Test
    void should_send_frames_queued_behind_a_send_in_flight_as_one_frames_message_in_order() {
        FakeSession fake = new FakeSession();
        ClientConnection connection = fake.connection(1 << 20, Senders.inline(), 64 * 1024);
        fake.holdSends = true;
        for (int seq = 1; seq <= 10; seq++) {
            connection.send(frame(seq));
        }
        assertEquals(List.of(frame(1)), fake.messages, "a frame for an idle socket goes out alone and at once");

        fake.holdSends = false;
        fake.completeHeld();

        assertEquals(2, fake.messages.size(), "the nine that queued meanwhile go as one message");
        assertEquals(frames(1, 10), fake.frames());
        assertEquals(1, fake.batches());
    }

    @Test
    void should_send_every_frame_as_its_own_message_to_a_v1_client() {
        FakeSession fake = new FakeSession();
        ClientConnection connection = fake.connection(1 << 20, Senders.inline(), 0);
        fake.holdSends = true;
        for (int seq = 1; seq <= 10; seq++) {
            connection.send(frame(seq));
        }
        fake.holdSends = false;
        fake.completeHeld();

        assertEquals(frames(1, 10), fake.messages);
        assertEquals(0, fake.batches());
    }

    @Test
    void should_split_a_backlog_into_messages_no_longer_than_the_batch_bound() {
        FakeSession fake = new FakeSession();
        int bound = 200;
        ClientConnection connection = fake.connection(1 << 20, Senders.inline(), bound);
        fake.holdSends = true;
        for (int seq = 1; seq <= 50; seq++) {
            connection.send(frame(seq));
        }
        fake.holdSends = false;
        fake.completeHeld();

        assertEquals(frames(1, 50), fake.frames());
        assertTrue(fake.batches() > 1);
        fake.messages.forEach(message -> assertTrue(message.length() <= bound, message.length() + " > " + bound));
    }

    @Test
    void should_send_the_one_oversized_frame_alone_and_keep_the_order_around_it() {
        FakeSession fake = new FakeSession();
        long bound = 4096; // window 2048
        ClientConnection connection = fake.connection(bound, Senders.inline(), 64 * 1024);
        String big = "{\"type\":\"snapshot\",\"rows\":\"" + "x".repeat(5000) + "\"}"; // over the whole bound
        fake.holdSends = true;
        connection.send(frame(1));
        connection.send(frame(2));
        connection.send(big);
        connection.send(frame(3));
        fake.holdSends = false;
        fake.completeHeld();

        assertTrue(fake.messages.contains(big), "the oversized frame is never put in a batch");
        List<String> expected = new ArrayList<>(List.of(frame(1), frame(2)));
        expected.add(Json.createReader(new StringReader(big)).readObject().toString());
        assertEquals(expected, fake.frames().subList(0, 3));
        assertNull(fake.closed);
        // frame 3 waits for the client to acknowledge the oversized one, then goes out
        connection.ponged(ByteBuffer.allocate(Long.BYTES).putLong(0, fake.pings.get(fake.pings.size() - 1)));
        assertEquals(frame(3), fake.frames().get(3));
    }

    @Test
    void should_cut_a_v2_client_that_does_not_read_with_4499_as_a_v1_client() {
        FakeSession fake = new FakeSession();
        long bound = 2048;
        ClientConnection connection = fake.connection(bound, Senders.inline(), 64 * 1024);
        String filler = "{\"type\":\"change\",\"body\":\"" + "y".repeat(200) + "\"}";
        for (int i = 0; i < 30 && fake.closed == null; i++) {
            connection.send(filler); // no pong ever comes
        }
        assertNotNull(fake.closed, "the bound holds with batching");
        assertEquals(4499, fake.closed.getCloseCode().getCode());
        long handed = fake.messages.stream().mapToLong(String::length).sum();
        assertTrue(handed <= bound / 2 + filler.length() + 64, "no more than the window went out unread: " + handed);
    }

    @Test
    void should_keep_each_sockets_order_on_the_pool_under_concurrent_streams() throws Exception {
        Senders senders = Senders.start(4, Thread::new);
        started.add(senders);
        int sockets = 24;
        int producers = 6;
        int perProducer = 400;
        List<FakeSession> fakes = new ArrayList<>();
        List<ClientConnection> connections = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            FakeSession fake = new FakeSession();
            fake.asyncCompletions = true;
            fakes.add(fake);
            connections.add(fake.connection(Long.MAX_VALUE / 4, senders, i % 2 == 0 ? 4096 : 0));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int seq = 0; seq < perProducer; seq++) {
                    for (ClientConnection connection : connections) {
                        connection.send("{\"p\":" + producer + ",\"seq\":" + seq + "}");
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connections.stream().allMatch(ClientConnection::isDrained) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (int i = 0; i < sockets; i++) {
            List<String> frames = fakes.get(i).frames();
            assertEquals(producers * perProducer, frames.size(), "socket " + i + " got every frame once");
            int[] next = new int[producers];
            for (String frame : frames) {
                JsonObject json = Json.createReader(new StringReader(frame)).readObject();
                int producer = json.getInt("p");
                assertEquals(next[producer]++, json.getInt("seq"), "socket " + i + ", producer " + producer);
            }
        }
        assertTrue(fakes.stream().filter(f -> f.batches() > 0).count() > 0, "v2 sockets got batches under load");
        for (int i = 1; i < sockets; i += 2) {
            assertEquals(0, fakes.get(i).batches(), "v1 socket " + i + " never got one");
        }
    }
}
